// The console stops its demo sandbox however it is ended: a polite signal (SIGTERM from a
// session logout, SIGHUP, Ctrl-C) unwinds normally; SIGKILL leaves the kernel to do it.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

// The pids of a process's children, from /proc.
QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> kids;
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(pid));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(tasks.filePath(tid + QStringLiteral("/children")));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        for (const QByteArray& p : f.readAll().simplified().split(' '))
            if (!p.isEmpty())
                kids << p.toLongLong();
    }
    return kids;
}

QByteArray commOf(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

// Gone, or a zombie nobody reaped yet (a container's pid 1 may not): no longer serving.
bool isGone(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return true;
    const QByteArray stat = f.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    return close < 0 || stat.mid(close + 2, 1) == "Z";
}

} // namespace

class ConsoleStopTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stopsTheSandbox_data()
    {
        QTest::addColumn<int>("sig");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGHUP") << int(SIGHUP);
        QTest::newRow("SIGINT") << int(SIGINT);
        QTest::newRow("SIGKILL") << int(SIGKILL);
    }

    void stopsTheSandbox()
    {
        QFETCH(int, sig);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), dir.path());
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QProcess console;
        console.setProcessEnvironment(env);
        console.start(QStringLiteral(LOCKSTEP_BIN),
                      {QStringLiteral("--demo"), QStringLiteral("--workspace"),
                       dir.filePath(QStringLiteral("demo.sqlite"))});
        QVERIFY(console.waitForStarted(10000));
        const qint64 pid = console.processId();

        qint64 sandbox = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (qint64 kid : childrenOf(pid))
                    if (commOf(kid).startsWith("lockstep-sandbo"))
                        sandbox = kid;
                return sandbox != 0;
            }(),
            30000);
        // The window is up once the demo workspace has its mappings.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath(QStringLiteral("demo.sqlite"))), 30000);
        QTest::qWait(500);
        QVERIFY2(!isGone(sandbox), "the sandbox ended before the console was told to stop");

        QCOMPARE(::kill(pid_t(pid), sig), 0);
        QVERIFY(console.waitForFinished(20000));
        if (sig != SIGKILL) {
            QCOMPARE(console.exitStatus(), QProcess::NormalExit);
            QCOMPARE(console.exitCode(), 0);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(isGone(sandbox), "the demo's sandbox outlived the console",
                                  10000);
    }
};

QTEST_GUILESS_MAIN(ConsoleStopTest)
#include "tst_consolestop.moc"
