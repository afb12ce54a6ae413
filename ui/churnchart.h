// Entered (up) and exited (down) members per run of one mapping, as bars, read from
// the same SizeHistoryModel rows as the size table.
#pragma once

#include <QChartView>
#include <QPointer>

namespace lockstep {

class SizeHistoryModel;

class ChurnChart : public QChartView
{
    Q_OBJECT
public:
    static constexpr int kMaxBars = 31; // a month of daily runs, one bar each

    explicit ChurnChart(QWidget* parent = nullptr);

    void setModel(SizeHistoryModel* history);
    // Bars per set (tests).
    int barCount() const { return m_bars; }
    // Runs of the last `days` of the loaded history (0: all). More runs than kMaxBars
    // are summed into consecutive groups, one bar each.
    void setWindowDays(int days);
    // The value axis' range (tests): symmetric around zero.
    std::pair<double, double> valueRange() const { return m_range; }
    // The text of the last hover tooltip (tests).
    QString lastToolTip() const { return m_lastToolTip; }

private:
    void rebuild();

    QPointer<SizeHistoryModel> m_history;
    int m_bars = 0;
    int m_windowDays = 0;
    std::pair<double, double> m_range{0, 0};
    QString m_lastToolTip;
};

} // namespace lockstep
