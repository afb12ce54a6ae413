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

private:
    void rebuild();
    void placeAlerts();
    void fitAxes();

    QPointer<SizeHistoryModel> m_history;
    QPointer<AlertsModel> m_alerts;
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    QScatterSeries* m_alertMarkers = nullptr;
};

} // namespace lockstep
