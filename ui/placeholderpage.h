// A page whose content lands in a later issue: it says what will appear and what the
// operator can do meanwhile, instead of showing an empty frame.
#pragma once

#include <QWidget>

namespace lockstep {

class EmptyState;

class PlaceholderPage : public QWidget
{
    Q_OBJECT
public:
    PlaceholderPage(const QString& objectName, const QIcon& icon, const QString& title,
                    const QString& text, QWidget* parent = nullptr);

    EmptyState* emptyState() const { return m_empty; }

private:
    EmptyState* m_empty;
};

} // namespace lockstep
