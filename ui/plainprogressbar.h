// A progress bar that draws itself with a few filled rectangles.
//
// Fusion animates a progress bar's stripes at the style's frame rate for as long as it is
// not complete, and draws those stripes with spans that Qt's raster engine splits over a
// thread pool. During a sync that is a repaint every few milliseconds, each one waiting for
// pool threads that compete for the cores with the engine: on a busy machine the GUI
// thread stalled on them. This bar repaints only when its value changes; its busy state
// moves a block a few times a second.
#pragma once

#include <QProgressBar>

class QTimer;

namespace lockstep {

class PlainProgressBar : public QProgressBar
{
    Q_OBJECT
public:
    explicit PlainProgressBar(QWidget* parent = nullptr);

    // Where the busy block is, 0..kBusySteps-1 (for tests).
    int busyStep() const { return m_busyStep; }
    static constexpr int kBusySteps = 20;

protected:
    void paintEvent(QPaintEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    bool isBusy() const { return minimum() == 0 && maximum() == 0; }
    void updateBusyTimer();

    QTimer* m_busyTimer;
    int m_busyStep = 0;
};

} // namespace lockstep
