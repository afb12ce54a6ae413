#include "page.h"

namespace lockstep {

void Page::requestReload()
{
    if (isVisible()) {
        m_stale = false;
        reload();
    } else {
        m_stale = true;
    }
}

void Page::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale) {
        m_stale = false;
        reload();
    }
}

} // namespace lockstep
