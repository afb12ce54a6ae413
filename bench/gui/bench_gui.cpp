// bench_gui [members]: how responsive the console stays.
//  1. The longest gap between ticks of a 5 ms timer in the GUI thread while the window
//     shows a sync of one segment of `members` (default 1,000,000) from the sandbox:
//     the GUI thread's longest stall. Floor: under 50 ms.
//  2. Loading and redrawing the Health page's trend chart with 20 cohorts x 365 daily
//     points (set the model, rebuild the series, paint into a pixmap). Floor: < 100 ms.
// Run offscreen: QT_QPA_PLATFORM=offscreen build/bin/bench_gui
#include "sandboxprocess.h"

#include "alertsmodel.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "mainwindow.h"
#include "mappingsmodel.h"
#include "sizehistorymodel.h"
#include "sizetrendchart.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <vector>

using namespace lockstep;

namespace {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

int benchSyncStall(int members)
{
    const int population = members + members / 10;
    test::SandboxProcess sandbox(QJsonObject{
        {QStringLiteral("seed"), 1},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), population}}},
        {QStringLiteral("segments"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                {QStringLiteral("name"), QStringLiteral("Everyone active")},
                                {QStringLiteral("size"), members}}}}});
    if (!sandbox.isRunning()) {
        out() << "sandbox: " << sandbox.errorString() << Qt::endl;
        return 1;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.sqlite"));
    {
        auto ws = Workspace::open(path);
        ConnectionSettings c;
        c.customerIoUrl = sandbox.customerIo().toString();
        c.mixpanelUrl = sandbox.mixpanel().toString();
        c.mixpanelQueryUrl = sandbox.mixpanelQuery().toString();
        c.projectId = sandbox.projectId();
        (void)SettingsRepository(**ws).setConnection(c);
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | Active | 30d");
        m.identity = IdentityKey::Id;
        (void)MappingRepository(**ws).add(m);
    }
    // The bench started this sandbox itself: the secrets may go there.
    EngineContext::Setup setup = EngineContext::Setup::fromEnvironment();
    for (const QUrl& url : {sandbox.customerIo(), sandbox.mixpanel(), sandbox.mixpanelQuery()})
        setup.allowedHosts.allow(url.host(), url.port());
    EngineContext context(std::move(setup));
    SyncController controller(
        context, path,
        Credentials{sandbox.appApiKey(), sandbox.projectToken(), sandbox.serviceAccount()});
    MainWindow window(&controller);
    window.resize(1440, 860);
    window.show();
    controller.start();

    QElapsedTimer clock;
    qint64 last = 0, worst = 0, ticks = 0;
    std::pair<qint64, qint64> worstAt{0, 0}; // gap, when it began (ns since start)
    std::vector<qint64> gaps;
    QTimer timer;
    timer.setInterval(5);
    QObject::connect(&timer, &QTimer::timeout, &window, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last) {
            gaps.push_back(now - last);
            if (now - last > worstAt.first)
                worstAt = {now - last, last};
        }
        last = now;
        ++ticks;
    });
    QElapsedTimer total;
    bool done = false;
    QObject::connect(&controller, &SyncController::syncFinished, &window,
                     [&](const QList<RunRecord>& runs) {
                         done = true;
                         for (const RunRecord& r : runs)
                             out() << "  run: " << runStatusName(r.status) << ", " << r.entered
                                   << " entered, " << r.apiCalls << " API calls\n";
                     });
    // The window's first frames (fonts, styles, first layout) are not part of a sync:
    // start measuring once it has settled.
    QObject::connect(&controller, &SyncController::opened, &window, [&] {
        QTimer::singleShot(500, &window, [&] {
            clock.start();
            total.start();
            timer.start();
            controller.syncAll(RunKind::Full);
        });
    });
    while (!done)
        QApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 100);
    timer.stop();
    const double seconds = double(total.elapsed()) / 1000.0;
    std::sort(gaps.begin(), gaps.end());
    worst = gaps.empty() ? 0 : gaps.back();
    const auto pct = [&](double p) {
        return gaps.empty() ? 0.0 : double(gaps[size_t(p * double(gaps.size() - 1))]) / 1e6;
    };
    out() << "sync of " << members << " members: " << seconds << " s, " << ticks
          << " timer ticks; GUI-thread gap p50 " << pct(0.5) << " ms, p99 " << pct(0.99)
          << " ms, longest " << double(worst) / 1e6 << " ms at " << double(worstAt.second) / 1e9
          << " s (timer interval 5 ms)" << Qt::endl;
    return 0;
}

void benchTrendChart()
{
    SizeHistoryModel history;
    AlertsModel alerts;
    SizeTrendChart chart;
    chart.resize(1100, 420);
    chart.setModels(&history, &alerts);
    chart.show();
    const qint64 day = 24LL * 3600 * 1000;
    const qint64 end = 1'767'225'600'000;
    SizeHistoryData d;
    d.days = 365;
    d.fromMs = end - 365 * day;
    d.toMs = end;
    QHash<qint64, QString> names;
    for (int m = 1; m <= 20; ++m) {
        SizeHistorySeries s;
        s.mappingId = m;
        names.insert(m, QStringLiteral("CIO | Cohort %1 | 30d").arg(m));
        for (int i = 0; i < 365; ++i) {
            SizePoint p;
            p.runId = m * 1000 + i;
            p.atMs = d.fromMs + i * day;
            p.segmentCount = 10000 * m + (i * 37 % 500);
            p.syncedCount = p.segmentCount - 20;
            p.entered = i % 50;
            p.exited = i % 40;
            p.mixpanelCount = i % 7 == 0 ? p.syncedCount : -1;
            s.points.append(p);
        }
        d.series.append(s);
    }
    QPixmap target(chart.size());
    std::vector<double> times;
    for (int round = 0; round < 6; ++round) {
        QElapsedTimer t;
        t.start();
        history.setHistory(d, names);   // rebuilds every series from the model
        chart.QWidget::render(&target); // and paints them
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::vector<double> warm(times.begin() + 1, times.end());
    std::sort(warm.begin(), warm.end());
    out() << "trend chart, 20 cohorts x 365 days (" << chart.lineCount()
          << " lines): first load+paint " << times.front() << " ms, then median "
          << warm[warm.size() / 2] << " ms, worst " << warm.back() << " ms" << Qt::endl;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 5; ++i)
        chart.QWidget::render(&target);
    out() << "trend chart repaint only: " << double(t.nsecsElapsed()) / 5e6 << " ms" << Qt::endl;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LockstepBench"));
    QApplication::setApplicationName(QStringLiteral("bench_gui"));
    const int members = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1'000'000;
    benchTrendChart();
    return benchSyncStall(members > 0 ? members : 1'000'000);
}
