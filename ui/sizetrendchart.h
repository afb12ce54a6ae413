// The Health page's size trend: per mapping, the Customer.io size (solid), the synced
// size (dashed) and the verified Mixpanel count (dots), with alert markers. Every
// series is filled from SizeHistoryModel / AlertsModel rows, the same rows the tables
// show.
#pragma once

#include <QChartView>
#include <QPointer>

class QDateTimeAxis;
class QScatterSeries;
class QValueAxis;

namespace lockstep {

class AlertsModel;
class SizeHistoryModel;

class SizeTrendChart : public QChartView
{
    Q_OBJECT
public:
    explicit SizeTrendChart(QWidget* parent = nullptr);

    void setModels(SizeHistoryModel* history, AlertsModel* alerts);
    // Line series of the chart (for tests and the benchmark): 2 per mapping.
    int lineCount() const;
    int alertMarkerCount() const;

    // Shows the last `days` of the loaded history (0: all of it). Only the axes move: the
    // series keep their points, so switching windows costs no reload.
    void setWindowDays(int days);
    int windowDays() const { return m_windowDays; }
    // The time axis' range, Unix ms (tests).
    std::pair<qint64, qint64> visibleRange() const;
    // What hovering shows near `atMs` on a mapping's line: the run's figures (date, sizes,
    // entered and exited) and the alerts that opened there. Empty when it has no run.
    QString figuresNear(qint64 mappingId, qint64 atMs) const;
    // The text of the last hover tooltip (tests).
    QString lastToolTip() const { return m_lastToolTip; }

private:
    void rebuild();
    void placeAlerts();
    void fitAxes();
    void showToolTip(qint64 mappingId, const QPointF& point, bool entering);
    // The row of a mapping's run nearest `atMs`, or -1.
    int nearestRow(qint64 mappingId, qint64 atMs) const;

    QPointer<SizeHistoryModel> m_history;
    QPointer<AlertsModel> m_alerts;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    QScatterSeries* m_alertMarkers = nullptr;
    int m_windowDays = 0;
    QString m_lastToolTip;
};

} // namespace lockstep
