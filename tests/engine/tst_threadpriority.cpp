// The console's engine runs below its GUI thread: the engine's thread and the threads it
// starts take the context's nice steps, the thread that made the controller keeps its own.
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "store/workspace.h"
#include "util/threadpriority.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace lockstep;

namespace {

constexpr int kWaitMs = 15000;

// The nice value of each of this process's threads named `name` (/proc/self/task/*/comm),
// read from the kernel's own account (field 19 of its stat line).
QList<int> nicesOfThreads(const QByteArray& name)
{
    QList<int> nices;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != name)
            continue;
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // After "pid (comm) ": state is field 3, nice field 19.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 16)
            nices.append(fields.at(16).toInt());
    }
    return nices;
}

} // namespace

class TestThreadPriority : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void lowersOnlyTheCallingThread();
    void engineThreadsRunBelowTheirStarter_data();
    void engineThreadsRunBelowTheirStarter();
};

void TestThreadPriority::lowersOnlyTheCallingThread()
{
    const int mine = currentThreadNice();
    int theirs = -100;
    bool lowered = false;
    std::thread t([&] {
        lowered = lowerCurrentThreadPriority(3);
        theirs = currentThreadNice();
    });
    t.join();
    QVERIFY(lowered);
    QCOMPARE(theirs, std::min(mine + 3, 19));
    QCOMPARE(currentThreadNice(), mine);
    // Never above the lowest priority there is.
    std::thread u([&] {
        lowered = lowerCurrentThreadPriority(100);
        theirs = currentThreadNice();
    });
    u.join();
    QVERIFY(lowered);
    QCOMPARE(theirs, 19);
}

void TestThreadPriority::engineThreadsRunBelowTheirStarter_data()
{
    QTest::addColumn<int>("steps");
    QTest::newRow("console") << EngineContext::Setup::kConsoleEngineThreadNice;
    QTest::newRow("cli and runner") << 0;
}

void TestThreadPriority::engineThreadsRunBelowTheirStarter()
{
    QFETCH(int, steps);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString workspace = dir.filePath(QStringLiteral("workspace.sqlite"));
    QVERIFY(Workspace::open(workspace));
    EngineContext::Setup setup;
    setup.engineThreadNice = steps;
    EngineContext context(setup);
    const int mine = currentThreadNice();
    {
        SyncController controller(context, workspace, Credentials{});
        QSignalSpy opened(&controller, &SyncController::opened);
        controller.start();
        QVERIFY(opened.wait(kWaitMs));
        const int expected = std::min(mine + steps, 19);
        // The engine's thread, and those it started without a name of their own (they
        // inherit its name as well as its priority), and the workspace's writer.
        for (const QByteArray& name :
             {QByteArrayLiteral("lockstep-engine"), QByteArrayLiteral("lockstep-writer")}) {
            // A thread names itself once it runs, which may be after `opened`.
            QTRY_VERIFY2_WITH_TIMEOUT(!nicesOfThreads(name).isEmpty(), name.constData(), kWaitMs);
            for (int nice : nicesOfThreads(name))
                QCOMPARE(nice, expected);
        }
        QCOMPARE(currentThreadNice(), mine);
    }
}

QTEST_GUILESS_MAIN(TestThreadPriority)
#include "tst_threadpriority.moc"
