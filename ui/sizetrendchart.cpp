#include "sizetrendchart.h"

#include "alertsmodel.h"
#include "modelroles.h"
#include "modelseriesadapter.h"
#include "sizehistorymodel.h"
#include "themes.h"

#include <QChart>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>

namespace lockstep {

namespace {
// A calm qualitative palette that reads on light and dark backgrounds.
const QColor kColors[] = {QColor(0x3b, 0x82, 0xc4), QColor(0xe0, 0x8a, 0x2e),
                          QColor(0x3f, 0xa3, 0x6b), QColor(0x9b, 0x59, 0xb6),
                          QColor(0xd0, 0x4a, 0x4a), QColor(0x1a, 0xa3, 0xa3),
                          QColor(0x8c, 0x7a, 0x3a), QColor(0x6b, 0x6b, 0xd6)};
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
    setMinimumHeight(200);
}

void SizeTrendChart::setModels(SizeHistoryModel* history, AlertsModel* alerts)
{
    m_history = history;
    m_alerts = alerts;
    connect(history, &QAbstractItemModel::modelReset, this, &SizeTrendChart::rebuild);
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
        n += s->type() == QAbstractSeries::SeriesTypeLine ? 1 : 0;
    return n;
}

int SizeTrendChart::alertMarkerCount() const
{
    return m_alertMarkers ? int(m_alertMarkers->count()) : 0;
}

void SizeTrendChart::rebuild()
{
    QChart* c = chart();
    c->setTheme(paletteIsDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    c->setBackgroundVisible(false);
    c->removeAllSeries(); // deletes the series and their adapters
    m_alertMarkers = nullptr;
    if (!m_history)
        return;
    const QList<qint64> ids = m_history->mappingIds();
    // Several mappings: name the lines by cohort; one mapping: by figure.
    const bool many = ids.size() > 1;
    int colorIndex = 0;
    for (qint64 id : ids) {
        const auto [first, count] = m_history->rowRange(id);
        const QColor color = kColors[colorIndex++ % std::size(kColors)];
        const QString name = m_history->mappingName(id);
        auto add = [&](QXYSeries* s, int column) {
            c->addSeries(s);
            s->attachAxis(m_x);
            s->attachAxis(m_y);
            new ModelSeriesAdapter(m_history, s, SizeHistoryModel::Time, column, first, count);
            connect(s, &QXYSeries::hovered, this,
                    [this, id](const QPointF& p, bool entering) { showToolTip(id, p, entering); });
        };
        auto* segment = new QLineSeries;
        segment->setName(many ? name : tr("Customer.io"));
        segment->setPen(QPen(color, 2));
        segment->setPointsVisible(count < 60); // a lone run still shows as a dot
        add(segment, SizeHistoryModel::Segment);

        auto* synced = new QLineSeries;
        synced->setName(many ? QString() : tr("Synced"));
        synced->setPen(QPen(color.lighter(140), 1.5, Qt::DashLine));
        add(synced, SizeHistoryModel::Synced);

        auto* mixpanel = new QScatterSeries;
        mixpanel->setName(many ? QString() : tr("Mixpanel (verified)"));
        mixpanel->setMarkerSize(7);
        mixpanel->setColor(color.darker(130));
        mixpanel->setBorderColor(Qt::transparent);
        add(mixpanel, SizeHistoryModel::Mixpanel);
        // With several mappings the legend lists cohorts only: the styles explain the rest.
        if (many) {
            for (QLegendMarker* marker : c->legend()->markers(synced))
                marker->setVisible(false);
            for (QLegendMarker* marker : c->legend()->markers(mixpanel))
                marker->setVisible(false);
        }
    }
    // Antialiasing costs more than it shows once many long lines share the plot: a
    // 20-cohort year redraws about twice as fast without it.
    setRenderHint(QPainter::Antialiasing, m_history->rowCount() < 2000);
    m_alertMarkers = new QScatterSeries;
    m_alertMarkers->setName(tr("Alert"));
    m_alertMarkers->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_alertMarkers->setMarkerSize(10);
    m_alertMarkers->setColor(QColor(0xd0, 0x3b, 0x3b));
    m_alertMarkers->setBorderColor(Qt::white);
    c->addSeries(m_alertMarkers);
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
    qint64 to = h.toMs ? h.toMs : QDateTime::currentMSecsSinceEpoch();
    qint64 from = h.fromMs ? h.fromMs : to - 30 * 24 * 3600 * 1000LL;
    if (m_windowDays > 0) {
        from = std::max(from, to - qint64(m_windowDays) * 24 * 3600 * 1000LL);
    } else {
        // All: from the oldest run shown (the history asked for may reach years back).
        qint64 oldest = to;
        for (int r = 0; r < m_history->rowCount(); ++r)
            oldest = std::min(
                oldest, m_history->index(r, SizeHistoryModel::Time).data(ValueRole).toLongLong());
        if (m_history->rowCount() > 0)
            from = std::max(from, oldest - (to - oldest) / 40);
    }
    // A little room after the newest run, so its marker is not cut by the plot edge.
    const qint64 pad = (to - from) / 40;
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to + pad));
    const qint64 span = to - from;
    m_x->setFormat(span <= 8 * 24 * 3600 * 1000LL ? QStringLiteral("ddd d")
                                                  : QStringLiteral("MMM d"));
    // The vertical scale fits what the window shows. From zero while the lines come near
    // it (a collapse reads as one); otherwise around them, so a weekly rhythm of a few
    // percent is visible rather than a flat line.
    double minY = -1, maxY = 0;
    for (QAbstractSeries* s : chart()->series())
        if (auto* xy = qobject_cast<QXYSeries*>(s); xy && xy != m_alertMarkers)
            for (const QPointF& p : xy->points())
                if (p.x() >= double(from)) {
                    maxY = std::max(maxY, p.y());
                    minY = minY < 0 ? p.y() : std::min(minY, p.y());
                }
    const double low = minY > 0.5 * maxY ? minY - (maxY - minY) * 0.25 - 1 : 0;
    m_y->setRange(std::max(0.0, low), maxY > 0 ? maxY + (maxY - std::max(0.0, low)) * 0.1 : 10);
    m_y->applyNiceNumbers();
}

} // namespace lockstep
