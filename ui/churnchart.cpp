#include "churnchart.h"

#include "modelroles.h"
#include "sizehistorymodel.h"
#include "themes.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QDateTime>
#include <QStackedBarSeries>
#include <QValueAxis>

namespace lockstep {

ChurnChart::ChurnChart(QWidget* parent) : QChartView(new QChart, parent)
{
    setObjectName(QStringLiteral("healthChurnChart"));
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    chart()->setMargins(QMargins(4, 4, 4, 4));
    setMinimumHeight(160);
}

void ChurnChart::setModel(SizeHistoryModel* history)
{
    m_history = history;
    connect(history, &QAbstractItemModel::modelReset, this, &ChurnChart::rebuild);
    connect(history, &QAbstractItemModel::dataChanged, this, &ChurnChart::rebuild);
    rebuild();
}

void ChurnChart::rebuild()
{
    QChart* c = chart();
    c->setTheme(paletteIsDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    c->setBackgroundVisible(false);
    c->removeAllSeries();
    for (QAbstractAxis* a : c->axes()) {
        c->removeAxis(a);
        delete a;
    }
    m_bars = 0;
    if (!m_history || m_history->mappingIds().isEmpty()) {
        c->setTitle(tr("Churn per run"));
        return;
    }
    // The first selected mapping: stacked bars of several cohorts would not read.
    const qint64 id = m_history->mappingIds().first();
    c->setTitle(tr("Churn per run: %1").arg(m_history->mappingName(id)));
    const auto [first, count] = m_history->rowRange(id);
    const int start = first + std::max(0, count - kMaxBars);
    auto* entered = new QBarSet(tr("Entered"));
    auto* exited = new QBarSet(tr("Exited"));
    entered->setColor(QColor(0x3f, 0xa3, 0x6b));
    exited->setColor(QColor(0xd0, 0x6a, 0x4a));
    QStringList categories;
    double extent = 1;
    for (int r = start; r < first + count; ++r) {
        const double in = m_history->index(r, SizeHistoryModel::Entered).data(ValueRole).toDouble();
        const double out = m_history->index(r, SizeHistoryModel::Exited).data(ValueRole).toDouble();
        entered->append(in);
        exited->append(-out);
        extent = std::max({extent, in, out});
        const qint64 at = m_history->index(r, SizeHistoryModel::Time).data(ValueRole).toLongLong();
        // Runs can share a day: the time keeps categories distinct.
        categories << QDateTime::fromMSecsSinceEpoch(at).toString(QStringLiteral("d/M HH:mm")) +
                          QString(QChar(0x200B)).repeated(r - start);
    }
    m_bars = int(entered->count());
    auto* series = new QStackedBarSeries;
    series->append(entered);
    series->append(exited);
    series->setBarWidth(0.7);
    c->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    x->setLabelsAngle(m_bars > 8 ? -60 : 0);
    auto* y = new QValueAxis;
    y->setRange(-extent * 1.1, extent * 1.1);
    y->setLabelFormat(QStringLiteral("%.0f"));
    y->applyNiceNumbers();
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

} // namespace lockstep
