// A dismissable strip above the pages for problems the operator must see (the
// workspace could not be opened, a sync request was refused), instead of a modal box.
#pragma once

#include <QFrame>

class QLabel;

namespace lockstep {

class MessageBanner : public QFrame
{
    Q_OBJECT
public:
    explicit MessageBanner(QWidget* parent = nullptr);

    void showError(const QString& text);
    QString text() const;

private:
    QLabel* m_text;
};

} // namespace lockstep
