// bench_gui [chart | sync] [members]: how responsive the console stays.
//  1. The longest gap between ticks of a 5 ms timer in the GUI thread while the window
//     shows a sync of one segment of `members` (default 1,000,000) from the sandbox:
//     the GUI thread's longest stall, and how many gaps exceed 16 ms (a frame at 60 Hz).
//     Floor: at most 16 ms, on a quiet machine and with both cores running a `nice`d
//     load (docs/BENCH.md gives both with their load averages).
//  2. Loading and redrawing the Health page's trend chart with 20 cohorts x 365 daily
//     points (set the model, refill the series, paint into a pixmap), and changing its
//     window (7/30/90 days, all). Floor: at most 16 ms each.
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
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace lockstep;

namespace {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

// The calling thread's CPU time and the time it waited runnable for a core, in ns
// (/proc/thread-self/schedstat): tells a gap the GUI thread spent working from one it
// spent waiting for the scheduler.
struct SchedStat
{
    qint64 ran = 0, waited = 0;
};

class ThreadSchedStat
{
public:
    ThreadSchedStat() : m_fd(::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC)) {}
    ~ThreadSchedStat()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    ThreadSchedStat(const ThreadSchedStat&) = delete;
    ThreadSchedStat& operator=(const ThreadSchedStat&) = delete;
    SchedStat read() const
    {
        char buf[128];
        const ssize_t n = m_fd < 0 ? -1 : ::pread(m_fd, buf, sizeof buf - 1, 0);
        if (n <= 0)
            return {};
        buf[n] = 0;
        SchedStat s;
        char* end = nullptr;
        s.ran = std::strtoll(buf, &end, 10);
        s.waited = std::strtoll(end, nullptr, 10);
        return s;
    }

private:
    int m_fd;
};

// Times every event the GUI thread handles at the top of its loop, and keeps the slowest:
// what the GUI thread itself spends its longest moments on.
class TimingApplication : public QApplication
{
public:
    using QApplication::QApplication;
    struct Slow
    {
        qint64 ns;
        QString what;
    };
    bool notify(QObject* receiver, QEvent* event) override
    {
        if (!m_recording || m_depth > 0 || QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const int type = event->type();
        const char* cls = receiver->metaObject()->className();
        const QString name = receiver->objectName();
        const bool r = QApplication::notify(receiver, event);
        const qint64 ns = t.nsecsElapsed();
        --m_depth;
        if (m_slow.size() < 8 || ns > m_slow.back().ns) {
            m_slow.push_back({ns, QStringLiteral("event %1 to %2%3")
                                      .arg(QString::number(type), QString::fromLatin1(cls),
                                           name.isEmpty() ? QString() : QLatin1Char(' ') + name)});
            std::sort(m_slow.begin(), m_slow.end(),
                      [](const Slow& a, const Slow& b) { return a.ns > b.ns; });
            if (m_slow.size() > 8)
                m_slow.pop_back();
        }
        return r;
    }
    void record(bool on) { m_recording = on; }
    const std::vector<Slow>& slowest() const { return m_slow; }

private:
    bool m_recording = false;
    int m_depth = 0;
    std::vector<Slow> m_slow;
};

int benchSyncStall(int members)
{
    // The console runs its engine (and the demo's sandbox) below its GUI thread;
    // BENCH_ENGINE_NICE=0 measures without that.
    const int nice = qEnvironmentVariableIsSet("BENCH_ENGINE_NICE")
                         ? qEnvironmentVariableIntValue("BENCH_ENGINE_NICE")
                         : EngineContext::Setup::kConsoleEngineThreadNice;
    const int population = members + members / 10;
    test::SandboxProcess sandbox(
        QJsonObject{
            {QStringLiteral("seed"), 1},
            {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), population}}},
            {QStringLiteral("segments"),
             QJsonArray{QJsonObject{{QStringLiteral("id"), 1},
                                    {QStringLiteral("name"), QStringLiteral("Everyone active")},
                                    {QStringLiteral("size"), members}}}}},
        {}, nice);
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
    setup.engineThreadNice = nice;
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
    SchedStat worstSched, lastSched;         // inside the longest gap: ran, waited for a core
    const ThreadSchedStat schedStat;
    std::vector<qint64> gaps;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(5);
    QObject::connect(&timer, &QTimer::timeout, &window, [&] {
        const qint64 now = clock.nsecsElapsed();
        const SchedStat sched = schedStat.read();
        if (last) {
            gaps.push_back(now - last);
            if (now - last > worstAt.first) {
                worstAt = {now - last, last};
                worstSched = {sched.ran - lastSched.ran, sched.waited - lastSched.waited};
            }
        }
        last = now;
        lastSched = sched;
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
            static_cast<TimingApplication*>(qApp)->record(true);
            clock.start();
            total.start();
            timer.start();
            controller.syncAll(RunKind::Full);
        });
    });
    // A blocking event loop, as the console's own: processEvents(flags, ms) would spin
    // (it drops WaitForMoreEvents) and take a core from the sync it measures.
    QEventLoop loop;
    QObject::connect(&controller, &SyncController::syncFinished, &loop, &QEventLoop::quit,
                     Qt::QueuedConnection);
    if (!done)
        loop.exec();
    timer.stop();
    const double seconds = double(total.elapsed()) / 1000.0;
    std::sort(gaps.begin(), gaps.end());
    worst = gaps.empty() ? 0 : gaps.back();
    const auto over =
        std::count_if(gaps.begin(), gaps.end(), [](qint64 g) { return g > 16'000'000; });
    const auto pct = [&](double p) {
        return gaps.empty() ? 0.0 : double(gaps[size_t(p * double(gaps.size() - 1))]) / 1e6;
    };
    out() << "sync of " << members << " members: " << seconds << " s, " << ticks
          << " timer ticks; GUI-thread gap p50 " << pct(0.5) << " ms, p99 " << pct(0.99)
          << " ms, longest " << double(worst) / 1e6 << " ms at " << double(worstAt.second) / 1e9
          << " s, " << over << " over 16 ms (timer interval 5 ms, engine and sandbox nice " << nice
          << ")" << Qt::endl;
    out() << "  in the longest gap the GUI thread ran " << double(worstSched.ran) / 1e6
          << " ms and waited for a core " << double(worstSched.waited) / 1e6 << " ms" << Qt::endl;
    out() << "  slowest GUI-thread events:\n";
    for (const auto& slow : static_cast<TimingApplication*>(qApp)->slowest())
        out() << "    " << double(slow.ns) / 1e6 << " ms  " << slow.what << "\n";
    out().flush();
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
    // Two histories with different figures, loaded in turn: every load replaces every point
    // (loading the same history again would be a cheaper case).
    auto history1 = [&](int variant) {
        SizeHistoryData d;
        d.days = 365;
        d.fromMs = end - 365 * day;
        d.toMs = end;
        for (int m = 1; m <= 20; ++m) {
            SizeHistorySeries s;
            s.mappingId = m;
            for (int i = 0; i < 365; ++i) {
                SizePoint p;
                p.runId = m * 1000 + i;
                p.atMs = d.fromMs + i * day;
                p.segmentCount = 10000 * m + (i * 37 % 500) + variant * 100;
                p.syncedCount = p.segmentCount - 20;
                p.entered = i % 50;
                p.exited = i % 40;
                p.mixpanelCount = i % 7 == 0 ? p.syncedCount : -1;
                s.points.append(p);
            }
            d.series.append(s);
        }
        return d;
    };
    QHash<qint64, QString> names;
    for (int m = 1; m <= 20; ++m)
        names.insert(m, QStringLiteral("CIO | Cohort %1 | 30d").arg(m));
    const SizeHistoryData histories[2] = {history1(0), history1(1)};
    QPixmap target(chart.size());
    std::vector<double> times;
    for (int round = 0; round < 12; ++round) {
        QElapsedTimer t;
        t.start();
        history.setHistory(histories[round % 2], names); // refills every series from the model
        chart.QWidget::render(&target);                  // and paints them
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::vector<double> warm(times.begin() + 1, times.end());
    std::sort(warm.begin(), warm.end());
    out() << "trend chart, 20 cohorts x 365 days (" << chart.lineCount()
          << " lines): first load+paint " << times.front() << " ms, then median "
          << warm[warm.size() / 2] << " ms, worst " << warm.back() << " ms" << Qt::endl;
    // The window picker: 7, 30, 90 days, all, in turn (only the axes and the points shown
    // change, no reload).
    std::vector<double> windows;
    for (int round = 0; round < 12; ++round) {
        QElapsedTimer t;
        t.start();
        chart.setWindowDays(std::array{7, 30, 90, 0}[size_t(round % 4)]);
        chart.QWidget::render(&target);
        windows.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(windows.begin(), windows.end());
    out() << "trend chart window change + paint: median " << windows[windows.size() / 2]
          << " ms, worst " << windows.back() << " ms" << Qt::endl;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < 5; ++i)
        chart.QWidget::render(&target);
    out() << "trend chart repaint only: " << double(t.nsecsElapsed()) / 5e6 << " ms" << Qt::endl;
}

} // namespace

int main(int argc, char** argv)
{
    TimingApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LockstepBench"));
    QApplication::setApplicationName(QStringLiteral("bench_gui"));
    // bench_gui [members | chart | sync [members]]: both parts, or one of them.
    QStringList args = QApplication::arguments().mid(1);
    const QString only =
        !args.isEmpty() && !args.first().front().isDigit() ? args.takeFirst() : QString();
    const int members = args.isEmpty() ? 1'000'000 : args.first().toInt();
    if (only != QLatin1String("sync"))
        benchTrendChart();
    if (only == QLatin1String("chart"))
        return 0;
    return benchSyncStall(members > 0 ? members : 1'000'000);
}
