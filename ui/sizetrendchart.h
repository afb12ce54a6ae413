// The Health page's size trend: per mapping, the Customer.io size (solid), the synced
// size (dashed) and the verified Mixpanel count (dots), with alert markers. Every
// series is filled from SizeHistoryModel / AlertsModel rows, the same rows the tables
// show.
//
// Redrawing stays within a frame on a year of 20 mappings: the series are made once and
// refilled in place (one replace() each), the model's points are read once per load and
// kept, and each series gets only the points of the visible window, at most two per pixel
// column (the lowest and highest, so a dip survives).
#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QPointer>

#include <vector>

class QDateTimeAxis;
class QLineSeries;
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
    // Lines of the chart (for tests and the benchmark): 2 per mapping (the Mixpanel dots
    // are not a line).
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
    // One mapping's series and the points they are cut from.
    struct Slot
    {
        qint64 mappingId = 0;
        QLineSeries* segment = nullptr;
        QLineSeries* synced = nullptr;
        QLineSeries* mixpanel = nullptr; // dots only: a light marker per point, no line
        QList<QPointF> segmentPoints, syncedPoints, mixpanelPoints;
    };

    void rebuild();
    void addSlot();
    void styleSlots();
    void placeAlerts();
    // Sets the axes to the window and refills every series with what the window shows.
    void fitAxes();
    int plotColumns() const;
    void showToolTip(qint64 mappingId, const QPointF& point, bool entering);
    // The row of a mapping's run nearest `atMs`, or -1.
    int nearestRow(qint64 mappingId, qint64 atMs) const;

    QPointer<SizeHistoryModel> m_history;
    QPointer<AlertsModel> m_alerts;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    QScatterSeries* m_alertMarkers = nullptr;
    std::vector<Slot> m_slots;
    int m_windowDays = 0;
    int m_columns = 0; // pixel columns the points were thinned to
    int m_themed = -1; // the chart theme applied: 0 light, 1 dark, -1 none yet
    int m_styled = -1; // what the series' pens were made for (thin, dark), -1 none yet
    QString m_lastToolTip;
};

} // namespace lockstep
