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
    static constexpr int kMaxBars = 30;

    explicit ChurnChart(QWidget* parent = nullptr);

    void setModel(SizeHistoryModel* history);
    // Bars per set (tests).
    int barCount() const { return m_bars; }

private:
    void rebuild();

    QPointer<SizeHistoryModel> m_history;
    int m_bars = 0;
};

} // namespace lockstep
