#include "placeholderpage.h"

#include "emptystate.h"

#include <QVBoxLayout>

namespace lockstep {

PlaceholderPage::PlaceholderPage(const QString& objectName, const QIcon& icon, const QString& title,
                                 const QString& text, QWidget* parent)
    : QWidget(parent), m_empty(new EmptyState(this))
{
    setObjectName(objectName);
    m_empty->setObjectName(objectName + QStringLiteral("Empty"));
    m_empty->setIcon(icon);
    m_empty->setTitle(title);
    m_empty->setText(text);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
}

} // namespace lockstep
