// A calm, centred message for a view with nothing to show: what will appear here and
// what to do to get it there.
#pragma once

#include <QWidget>

class QLabel;

namespace lockstep {

class EmptyState : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyState(QWidget* parent = nullptr);

    void setIcon(const QIcon& icon);
    void setTitle(const QString& title);
    // Rich text is allowed, so commands can be shown in <code>.
    void setText(const QString& text);

    QString title() const;
    QString text() const;

private:
    QLabel* m_icon;
    QLabel* m_title;
    QLabel* m_text;
};

} // namespace lockstep
