#include "sizetrendchart.h"

#include "alertsmodel.h"
#include "chartpoints.h"
#include "modelroles.h"
#include "sizehistorymodel.h"
#include "themes.h"

#include <QChart>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QHash>
#include <QImage>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace lockstep {

namespace {
constexpr qint64 kDayMs = 24 * 3600 * 1000LL;

// The Mixpanel dots: an image stamped per point. A scatter series would make a graphics
// item per point, which costs more than all the lines together on a year of 20 mappings.
QImage dotImage(const QColor& color)
{
    static QHash<QRgb, QImage> cache;
    auto it = cache.constFind(color.rgb());
    if (it != cache.cend())
        return *it;
    QImage image(7, 7, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(0.5, 0.5, 6, 6));
    p.end();
    cache.insert(color.rgb(), image);
    return image;
}

// Round axis limits and a tick count for [low, high], about five ticks (Qt's
// applyNiceNumbers() would move the range a second time, and drifts with the tick count
// it was left with).
double niceStep(double x, bool ceiling)
{
    const double z = std::pow(10.0, std::floor(std::log10(x)));
    const double q = x / z;
    if (ceiling)
        return (q <= 1 ? 1 : q <= 2 ? 2 : q <= 5 ? 5 : 10) * z;
    return (q < 1.5 ? 1 : q < 3 ? 2 : q < 7 ? 5 : 10) * z;
}
void niceRange(double& low, double& high, int& ticks)
{
    if (high <= low)
        high = low + 1;
    const double step = niceStep(niceStep(high - low, true) / 4, false);
    low = std::floor(low / step) * step;
    high = std::ceil(high / step) * step;
    ticks = int(std::lround((high - low) / step)) + 1;
}
} // namespace

SizeTrendChart::SizeTrendChart(QWidget* parent)
    : QChartView(new QChart, parent), m_x(new QDateTimeAxis(this)), m_y(new QValueAxis(this))
{
    setObjectName(QStringLiteral("healthTrendChart"));
    setRenderHint(QPainter::Antialiasing);
    chart()->setTitle(tr("Cohort size"));
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    m_x->setFormat(QStringLiteral("MMM d"));
    m_x->setTickCount(6);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setMin(0);
    chart()->addAxis(m_x, Qt::AlignBottom);
    chart()->addAxis(m_y, Qt::AlignLeft);
    m_alertMarkers = new QScatterSeries(this);
    m_alertMarkers->setName(tr("Alert"));
    m_alertMarkers->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_alertMarkers->setMarkerSize(10);
    chart()->addSeries(m_alertMarkers);
    m_alertMarkers->attachAxis(m_x);
    m_alertMarkers->attachAxis(m_y);
    connect(m_alertMarkers, &QXYSeries::hovered, this, [this](const QPointF& p, bool entering) {
        // A marker sits on a mapping's line: say that run's figures and its alerts.
        qint64 best = 0;
        double bestDistance = -1;
        for (qint64 id : m_history->mappingIds()) {
            const int row = nearestRow(id, qint64(p.x()));
            if (row < 0)
                continue;
            const double d = std::abs(
                m_history->index(row, SizeHistoryModel::Segment).data(ValueRole).toDouble() -
                p.y());
            if (bestDistance < 0 || d < bestDistance) {
                bestDistance = d;
                best = id;
            }
        }
        showToolTip(best, p, entering);
    });
    // A wider or narrower plot thins the points to its new width.
    connect(chart(), &QChart::plotAreaChanged, this, [this](const QRectF&) {
        if (!m_history || std::abs(plotColumns() - m_columns) < 8)
            return;
        qsizetype most = 0;
        for (const Slot& s : m_slots)
            most = std::max(most, s.segmentPoints.size());
        if (most > 2 * std::min(m_columns, plotColumns()))
            fitAxes();
    });
    setMinimumHeight(200);
}

void SizeTrendChart::setModels(SizeHistoryModel* history, AlertsModel* alerts)
{
    m_history = history;
    m_alerts = alerts;
    connect(history, &QAbstractItemModel::modelReset, this, &SizeTrendChart::rebuild);
    connect(history, &QAbstractItemModel::dataChanged, this, &SizeTrendChart::rebuild);
    connect(alerts, &QAbstractItemModel::modelReset, this, &SizeTrendChart::placeAlerts);
    connect(alerts, &QAbstractItemModel::dataChanged, this, &SizeTrendChart::placeAlerts);
    connect(alerts, &QAbstractItemModel::rowsInserted, this, &SizeTrendChart::placeAlerts);
    connect(alerts, &QAbstractItemModel::rowsRemoved, this, &SizeTrendChart::placeAlerts);
    rebuild();
}

int SizeTrendChart::lineCount() const
{
    int n = 0;
    for (QAbstractSeries* s : chart()->series())
        if (auto* line = qobject_cast<QLineSeries*>(s))
            n += line->pen().style() != Qt::NoPen ? 1 : 0;
    return n;
}

int SizeTrendChart::alertMarkerCount() const
{
    return int(m_alertMarkers->count());
}

int SizeTrendChart::plotColumns() const
{
    const int plot = int(chart()->plotArea().width());
    return plot > 0 ? plot : std::max(1, width() - 80);
}

void SizeTrendChart::addSlot()
{
    const int index = int(m_slots.size());
    Slot slot;
    slot.segment = new QLineSeries(this);
    slot.synced = new QLineSeries(this);
    slot.mixpanel = new QLineSeries(this);
    for (QLineSeries* s : {slot.segment, slot.synced, slot.mixpanel}) {
        chart()->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        connect(s, &QXYSeries::hovered, this, [this, index](const QPointF& p, bool entering) {
            if (index < int(m_slots.size()))
                showToolTip(m_slots[size_t(index)].mappingId, p, entering);
        });
    }
    m_slots.push_back(slot);
    // The alert markers stay the last series: drawn over the lines.
    chart()->removeSeries(m_alertMarkers);
    chart()->addSeries(m_alertMarkers);
    m_alertMarkers->attachAxis(m_x);
    m_alertMarkers->attachAxis(m_y);
    m_styled = -1;
}

void SizeTrendChart::styleSlots()
{
    // Several mappings: name the lines by cohort, and draw 1-pixel lines, which Qt paints
    // on its fast path (a wider or dashed pen is stroked segment by segment); one or a
    // few mappings: by figure, with the wider lines.
    const bool many = m_slots.size() > 1;
    const bool thin = m_slots.size() > 4;
    const bool dark = paletteIsDark();
    const int style = int(thin) * 2 + int(dark);
    QChart* c = chart();
    for (size_t i = 0; i < m_slots.size(); ++i) {
        Slot& slot = m_slots[i];
        const QColor color = seriesColor(int(i), dark);
        slot.segment->setName(many ? m_history->mappingName(slot.mappingId) : tr("Customer.io"));
        slot.synced->setName(many ? QString() : tr("Synced"));
        slot.mixpanel->setName(many ? QString() : tr("Mixpanel (verified)"));
        slot.segment->setPointsVisible(slot.segmentPoints.size() < 60); // a lone run: a dot
        if (m_styled != style) {
            QPen line(color, thin ? 1 : 2);
            line.setCosmetic(thin);
            slot.segment->setPen(line);
            QPen dashed(color, thin ? 1 : 1.5, Qt::DashLine);
            dashed.setCosmetic(thin);
            slot.synced->setPen(dashed);
            // No line between the verified counts: only their dots.
            slot.mixpanel->setPen(QPen(QBrush(color), 1, Qt::NoPen));
            slot.mixpanel->setLightMarker(dotImage(color));
            slot.mixpanel->setMarkerSize(7); // the theme would size it to the (absent) pen
        }
        // With several mappings the legend lists cohorts only: the styles explain the rest.
        for (QLineSeries* s : {slot.synced, slot.mixpanel})
            for (QLegendMarker* marker : c->legend()->markers(s))
                marker->setVisible(!many);
    }
    if (m_styled != style) {
        m_alertMarkers->setColor(dark ? QColor(0xf0, 0x6a, 0x6a) : QColor(0xc0, 0x24, 0x24));
        m_alertMarkers->setBorderColor(dark ? QColor(0x1f, 0x21, 0x24) : Qt::white);
    }
    m_styled = style;
}

void SizeTrendChart::rebuild()
{
    QChart* c = chart();
    const bool dark = paletteIsDark();
    if (m_themed != int(dark)) {
        // A theme restyles every series: only when the palette changed.
        c->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        c->setBackgroundVisible(false);
        m_themed = int(dark);
        m_styled = -1;
    }
    const QList<qint64> ids = m_history ? m_history->mappingIds() : QList<qint64>();
    while (m_slots.size() < size_t(ids.size()))
        addSlot();
    while (m_slots.size() > size_t(ids.size())) {
        for (QLineSeries* s :
             {m_slots.back().segment, m_slots.back().synced, m_slots.back().mixpanel}) {
            c->removeSeries(s);
            delete s;
        }
        m_slots.pop_back();
    }
    // The model's points, read once per load: windows and widths are cut from these.
    for (size_t i = 0; i < m_slots.size(); ++i) {
        Slot& slot = m_slots[i];
        slot.mappingId = ids[qsizetype(i)];
        const auto [first, count] = m_history->rowRange(slot.mappingId);
        slot.segmentPoints = modelPoints(*m_history, SizeHistoryModel::Time,
                                         SizeHistoryModel::Segment, first, count);
        slot.syncedPoints =
            modelPoints(*m_history, SizeHistoryModel::Time, SizeHistoryModel::Synced, first, count);
        slot.mixpanelPoints = modelPoints(*m_history, SizeHistoryModel::Time,
                                          SizeHistoryModel::Mixpanel, first, count);
    }
    if (!m_history)
        return;
    styleSlots();
    // Antialiasing costs more than it shows once many long lines share the plot.
    setRenderHint(QPainter::Antialiasing, m_history->rowCount() < 2000);
    placeAlerts();
    fitAxes();
}

void SizeTrendChart::placeAlerts()
{
    if (!m_alertMarkers || !m_history || !m_alerts)
        return;
    QList<QPointF> points;
    const SizeHistoryData& h = m_history->history();
    for (int row = 0; row < m_alerts->rowCount(); ++row) {
        const QModelIndex index = m_alerts->index(row, 0);
        const qint64 mappingId = index.data(MappingIdRole).toLongLong();
        const auto [first, count] = m_history->rowRange(mappingId);
        if (count == 0)
            continue;
        // Resolved before the window: not part of this picture.
        const Alert& alert = m_alerts->alerts().at(row);
        if (!alert.isOpen() && alert.resolvedAtMs < h.fromMs)
            continue;
        // The marker sits on the segment line at the run nearest to when it fired.
        const qint64 at = std::clamp(index.data(ValueRole).toLongLong(), h.fromMs, h.toMs);
        int best = first;
        for (int r = first; r < first + count; ++r)
            if (std::abs(m_history->index(r, SizeHistoryModel::Time).data(ValueRole).toLongLong() -
                         at) <
                std::abs(
                    m_history->index(best, SizeHistoryModel::Time).data(ValueRole).toLongLong() -
                    at))
                best = r;
        points.append(QPointF(
            double(m_history->index(best, SizeHistoryModel::Time).data(ValueRole).toLongLong()),
            m_history->index(best, SizeHistoryModel::Segment).data(ValueRole).toDouble()));
    }
    m_alertMarkers->replace(points);
}

void SizeTrendChart::setWindowDays(int days)
{
    m_windowDays = std::max(0, days);
    if (m_history)
        fitAxes();
}

std::pair<qint64, qint64> SizeTrendChart::visibleRange() const
{
    return {m_x->min().toMSecsSinceEpoch(), m_x->max().toMSecsSinceEpoch()};
}

int SizeTrendChart::nearestRow(qint64 mappingId, qint64 atMs) const
{
    if (!m_history)
        return -1;
    const auto [first, count] = m_history->rowRange(mappingId);
    int best = -1;
    qint64 bestDistance = 0;
    for (int r = first; r < first + count; ++r) {
        const qint64 d = std::abs(
            m_history->index(r, SizeHistoryModel::Time).data(ValueRole).toLongLong() - atMs);
        if (best < 0 || d < bestDistance) {
            best = r;
            bestDistance = d;
        }
    }
    return best;
}

QString SizeTrendChart::figuresNear(qint64 mappingId, qint64 atMs) const
{
    const int row = nearestRow(mappingId, atMs);
    if (row < 0)
        return {};
    auto cell = [this, row](int column) { return m_history->index(row, column).data().toString(); };
    auto value = [this, row](int column) { return m_history->index(row, column).data(ValueRole); };
    QStringList lines;
    lines << m_history->mappingName(mappingId) + QStringLiteral(" · ") +
                 cell(SizeHistoryModel::Time);
    //: Hovering a point of the size trend: the figures of that run
    lines << tr("Customer.io %1 · synced %2")
                 .arg(cell(SizeHistoryModel::Segment), cell(SizeHistoryModel::Synced));
    if (value(SizeHistoryModel::Mixpanel).isValid())
        lines << tr("Mixpanel cohort %1").arg(cell(SizeHistoryModel::Mixpanel));
    lines << tr("%1 entered · %2 left")
                 .arg(cell(SizeHistoryModel::Entered), cell(SizeHistoryModel::Exited));
    // The alerts that opened at this run (the markers' meaning).
    if (m_alerts) {
        const qint64 runAt = value(SizeHistoryModel::Time).toLongLong();
        for (const Alert& a : m_alerts->alerts())
            if (a.mappingId == mappingId && nearestRow(mappingId, a.firstSeenMs) == row &&
                std::abs(a.firstSeenMs - runAt) < 24 * 3600 * 1000LL)
                lines << QStringLiteral("⚠ ") + a.message;
    }
    return lines.join(QLatin1Char('\n'));
}

void SizeTrendChart::showToolTip(qint64 mappingId, const QPointF& point, bool entering)
{
    if (!entering) {
        QToolTip::hideText();
        return;
    }
    m_lastToolTip = figuresNear(mappingId, qint64(point.x()));
    if (!m_lastToolTip.isEmpty())
        QToolTip::showText(QCursor::pos(), m_lastToolTip, this);
}

void SizeTrendChart::fitAxes()
{
    const SizeHistoryData& h = m_history->history();
    const qint64 to = h.toMs ? h.toMs : QDateTime::currentMSecsSinceEpoch();
    qint64 from = h.fromMs ? h.fromMs : to - 30 * kDayMs;
    if (m_windowDays > 0) {
        from = std::max(from, to - qint64(m_windowDays) * kDayMs);
    } else {
        // All: from the oldest run shown (the history asked for may reach years back).
        qint64 oldest = to;
        for (const Slot& s : m_slots)
            for (const QList<QPointF>* points :
                 {&s.segmentPoints, &s.syncedPoints, &s.mixpanelPoints})
                if (!points->isEmpty())
                    oldest = std::min(oldest, qint64(points->first().x()));
        if (oldest < to)
            from = std::max(from, oldest - (to - oldest) / 40);
    }
    // A little room after the newest run, so its marker is not cut by the plot edge.
    const qint64 pad = (to - from) / 40;
    m_columns = plotColumns();
    // What each series shows: the window's points, at most two per pixel column.
    struct Shown
    {
        QList<QPointF> segment, synced, mixpanel;
    };
    std::vector<Shown> shown(m_slots.size());
    // The vertical scale fits what the window shows. From zero while the lines come near
    // it (a collapse reads as one); otherwise around them, so a weekly rhythm of a few
    // percent is visible rather than a flat line.
    double minY = -1, maxY = 0;
    for (size_t i = 0; i < m_slots.size(); ++i) {
        const Slot& slot = m_slots[i];
        const double left = double(from), right = double(to + pad);
        shown[i] = {visiblePoints(slot.segmentPoints, left, right, m_columns),
                    visiblePoints(slot.syncedPoints, left, right, m_columns),
                    visiblePoints(slot.mixpanelPoints, left, right, m_columns)};
        for (const QList<QPointF>* points :
             {&shown[i].segment, &shown[i].synced, &shown[i].mixpanel})
            for (const QPointF& p : *points)
                if (p.x() >= double(from)) {
                    maxY = std::max(maxY, p.y());
                    minY = minY < 0 ? p.y() : std::min(minY, p.y());
                }
    }
    double low = minY > 0.5 * maxY ? std::max(0.0, minY - (maxY - minY) * 0.25 - 1) : 0;
    double high = maxY > 0 ? maxY + (maxY - low) * 0.1 : 10;
    int ticks = 5;
    niceRange(low, high, ticks);
    low = std::max(0.0, low);

    const QDateTime xMin = QDateTime::fromMSecsSinceEpoch(from);
    const QDateTime xMax = QDateTime::fromMSecsSinceEpoch(to + pad);
    const bool moves =
        m_x->min() != xMin || m_x->max() != xMax || m_y->min() != low || m_y->max() != high;
    // Every series turns its points into pixels (and a hover shape) whenever an axis
    // moves: empty them first, so each does that once, with its new points.
    if (moves)
        for (const Slot& slot : m_slots)
            for (QLineSeries* s : {slot.segment, slot.synced, slot.mixpanel})
                if (s->count() > 0)
                    s->clear();
    m_x->setRange(xMin, xMax);
    m_x->setFormat(to - from <= 8 * kDayMs ? QStringLiteral("ddd d") : QStringLiteral("MMM d"));
    m_y->setRange(low, high);
    m_y->setTickCount(ticks);
    for (size_t i = 0; i < m_slots.size(); ++i) {
        const Slot& slot = m_slots[i];
        // Unchanged points (a reload that brought nothing new) are not redrawn.
        if (slot.segment->points() != shown[i].segment)
            slot.segment->replace(shown[i].segment);
        if (slot.synced->points() != shown[i].synced)
            slot.synced->replace(shown[i].synced);
        if (slot.mixpanel->points() != shown[i].mixpanel)
            slot.mixpanel->replace(shown[i].mixpanel);
    }
}

} // namespace lockstep
