#include "churnchart.h"

#include "displayformat.h"
#include "modelroles.h"
#include "sizehistorymodel.h"
#include "themes.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QDateTime>
#include <QStackedBarSeries>
#include <QToolTip>
#include <QValueAxis>

#include <cmath>

namespace lockstep {

namespace {
// The smallest of 1, 2, 4 or 10 times a power of ten that is at least `v`, so that half
// of it (the grid step with 5 ticks) stays round.
double niceCeiling(double v)
{
    const double power = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 4.0, 10.0})
        if (m * power >= v)
            return m * power;
    return 10 * power;
}
} // namespace

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
    const auto [first, count] = m_history->rowRange(id);
    auto at = [this](int r) {
        return m_history->index(r, SizeHistoryModel::Time).data(ValueRole).toLongLong();
    };
    auto number = [this](int r, int column) {
        return m_history->index(r, column).data(ValueRole).toDouble();
    };
    int start = first;
    if (m_windowDays > 0 && count > 0) {
        const qint64 from = at(first + count - 1) - qint64(m_windowDays) * 24 * 3600 * 1000LL;
        while (start < first + count && at(start) <= from)
            ++start;
    }
    const int runs = first + count - start;
    // Many runs: groups of consecutive runs, so every bar stays wide enough to read.
    const int group = std::max(1, (runs + kMaxBars - 1) / kMaxBars);
    auto* entered = new QBarSet(tr("Entered"));
    auto* exited = new QBarSet(tr("Exited"));
    entered->setColor(QColor(0x3f, 0xa3, 0x6b));
    exited->setColor(QColor(0xd0, 0x6a, 0x4a));
    QStringList categories;
    double extent = 0;
    // One bar a day or fewer: the date alone names it (short labels fit under thin bars).
    bool daily = true;
    for (int r = start + group; r < first + count && daily; r += group)
        daily = QDateTime::fromMSecsSinceEpoch(at(r)).date() !=
                QDateTime::fromMSecsSinceEpoch(at(r - group)).date();
    bool offScale = false;
    for (int r = start; r < first + count; r += group) {
        double in = 0, out = 0;
        bool initial = false;
        const int end = std::min(first + count, r + group);
        for (int k = r; k < end; ++k) {
            in += number(k, SizeHistoryModel::Entered);
            out += number(k, SizeHistoryModel::Exited);
            // A mapping's first sync enters the whole segment: it would flatten every
            // later bar, so the scale is set by the others.
            initial |= k == first && number(k, SizeHistoryModel::Exited) == 0 &&
                       number(k, SizeHistoryModel::Entered) == number(k, SizeHistoryModel::Segment);
        }
        entered->append(in);
        exited->append(-out);
        if (initial && runs > 1)
            offScale = true;
        else
            extent = std::max({extent, in, out});
        // Runs can share a day: then the time keeps categories distinct.
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(at(end - 1));
        // The trend chart's axis format: a month name reads the same in every locale.
        categories << when.toString(daily ? QStringLiteral("MMM d")
                                          : QStringLiteral("MMM d HH:mm")) +
                          QString(QChar(0x200B)).repeated(daily ? 0 : r - start);
    }
    m_bars = int(entered->count());
    c->setTitle(group > 1
                    ? tr("Churn per %n run(s): %1", nullptr, group).arg(m_history->mappingName(id))
                    : tr("Churn per run: %1").arg(m_history->mappingName(id)));
    if (offScale)
        //: Appended to the churn chart's title when the first sync's bar is cut
        c->setTitle(c->title() + tr(" (first sync off the scale)"));
    auto* series = new QStackedBarSeries;
    series->append(entered);
    series->append(exited);
    series->setBarWidth(0.7);
    c->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    // Many thin bars leave no room for a date under each: the axis names the span, and
    // hovering a bar tells its date and figures.
    if (m_bars > 8) {
        x->setLabelsVisible(false);
        x->setGridLineVisible(false);
        // The span's days: the first and last bar's times say nothing more.
        const QString format = QStringLiteral("MMM d");
        c->setTitle(
            //: The churn chart's title with the dates of its first and last bar
            tr("%1<br>%2 to %3")
                .arg(c->title(), QDateTime::fromMSecsSinceEpoch(at(start)).toString(format),
                     QDateTime::fromMSecsSinceEpoch(at(first + count - 1)).toString(format)));
    }
    const QStringList names = categories;
    auto hover = [this, names, entered, exited](bool on, int index) {
        if (!on || index < 0 || index >= names.size()) {
            QToolTip::hideText();
            return;
        }
        m_lastToolTip = tr("%1: %2 entered, %3 left")
                            .arg(QString(names.at(index)).remove(QChar(0x200B)),
                                 format::count(qint64(entered->at(index))),
                                 format::count(qint64(-exited->at(index))));
        QToolTip::showText(QCursor::pos(), m_lastToolTip, this);
    };
    connect(entered, &QBarSet::hovered, this, hover);
    connect(exited, &QBarSet::hovered, this, hover);
    auto* y = new QValueAxis;
    // Symmetric around zero with round steps, so entered and exited compare at a glance
    // and zero sits on a grid line.
    const double limit = niceCeiling(std::max(extent, 1.0) * 1.1);
    m_range = {-limit, limit};
    y->setRange(-limit, limit);
    y->setTickCount(5);
    y->setLabelFormat(QStringLiteral("%.0f"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

void ChurnChart::setWindowDays(int days)
{
    m_windowDays = std::max(0, days);
    rebuild();
}

} // namespace lockstep
