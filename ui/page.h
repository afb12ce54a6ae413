// A console page whose data comes from the engine on request: it asks again when it
// is shown after something changed, and at once while it is visible. So a hidden page
// costs nothing and a visible one is never stale.
#pragma once

#include <QWidget>

namespace lockstep {

class Page : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    // Something the page shows may have changed (a sync finished, an edit was saved).
    void requestReload();

protected:
    // Queues the page's requests to the engine; answers arrive as signals.
    virtual void reload() = 0;
    void showEvent(QShowEvent* event) override;

private:
    bool m_stale = true;
};

} // namespace lockstep
