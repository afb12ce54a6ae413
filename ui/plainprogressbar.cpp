#include "plainprogressbar.h"

#include <QPainter>
#include <QTimer>

#include <algorithm>

namespace lockstep {

PlainProgressBar::PlainProgressBar(QWidget* parent)
    : QProgressBar(parent), m_busyTimer(new QTimer(this))
{
    // Ten steps a second say "working" without costing the GUI thread a frame each time.
    m_busyTimer->setInterval(100);
    connect(m_busyTimer, &QTimer::timeout, this, [this] {
        m_busyStep = (m_busyStep + 1) % kBusySteps;
        update();
    });
    // The range says whether the bar is busy.
    connect(this, &QProgressBar::valueChanged, this, &PlainProgressBar::updateBusyTimer);
}

void PlainProgressBar::showEvent(QShowEvent* event)
{
    QProgressBar::showEvent(event);
    updateBusyTimer();
}

void PlainProgressBar::hideEvent(QHideEvent* event)
{
    QProgressBar::hideEvent(event);
    m_busyTimer->stop();
}

void PlainProgressBar::updateBusyTimer()
{
    if (isBusy() && isVisible()) {
        if (!m_busyTimer->isActive())
            m_busyTimer->start();
    } else {
        m_busyTimer->stop();
    }
}

void PlainProgressBar::paintEvent(QPaintEvent*)
{
    // setRange() emits nothing when the value stays: check the busy state here too.
    updateBusyTimer();
    QPainter p(this);
    const QPalette& pal = palette();
    const QRect frame = rect().adjusted(0, 0, -1, -1);
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QRect inside = rect().adjusted(2, 2, -2, -2);
    QRect chunk;
    if (isBusy()) {
        // A block a quarter of the width that crosses the bar and comes back.
        const int block = std::max(inside.width() / 4, 1);
        const int travel = inside.width() - block;
        const int half = kBusySteps / 2;
        const int step = m_busyStep < half ? m_busyStep : kBusySteps - m_busyStep;
        chunk = QRect(inside.left() + travel * step / half, inside.top(), block, inside.height());
    } else if (maximum() > minimum()) {
        const double fraction =
            double(value() - minimum()) / double(std::max(maximum() - minimum(), 1));
        const int width = int(inside.width() * std::clamp(fraction, 0.0, 1.0) + 0.5);
        chunk = QRect(inside.left(), inside.top(), width, inside.height());
    }
    if (chunk.width() > 0)
        p.fillRect(chunk, pal.color(isEnabled() ? QPalette::Active : QPalette::Disabled,
                                    QPalette::Highlight));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(frame);
    if (isTextVisible() && !isBusy()) {
        // The text over the bar and over the chunk, each in its readable colour.
        const QString label = text();
        p.setPen(pal.color(QPalette::Text));
        p.save();
        p.setClipRegion(QRegion(rect()).subtracted(chunk));
        p.drawText(rect(), Qt::AlignCenter, label);
        p.restore();
        if (chunk.width() > 0) {
            p.setClipRect(chunk);
            p.setPen(pal.color(QPalette::HighlightedText));
            p.drawText(rect(), Qt::AlignCenter, label);
        }
    }
}

} // namespace lockstep
