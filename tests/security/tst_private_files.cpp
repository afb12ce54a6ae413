// Files that hold personal data are their owner's only: the SQLite workspace and its
// -wal/-shm, the folders Lockstep creates for it, its lock folder, exports and the
// runner's log, under a umask of 022 (what most users have). An existing workspace that
// others can read is fixed on open, with a warning. Exports and logs never follow a
// symbolic link: a link, dangling or not, is refused and its target left alone.
#include "clirunner.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/privatefiles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <sys/stat.h>

using namespace lockstep;
using lockstep::test::CliRun;
using lockstep::test::runCli;
using lockstep::test::SandboxProcess;

namespace {

int modeOf(const QString& path)
{
    struct stat st = {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

QString octal(int mode)
{
    return QString::number(mode, 8);
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestPrivateFiles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<SandboxProcess> m_sandbox;
    mode_t m_oldUmask = 0;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
        e.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
        e.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("lockstep.runner.info=true"));
        return e;
    }

    // A connected workspace with one mapping, at `path`.
    void connectedWorkspace(const QString& path)
    {
        auto ws = Workspace::open(path);
        QVERIFY2(ws, ws ? "" : qPrintable(ws.error().message));
        QVERIFY(SettingsRepository(**ws).setConnection(test::connectionTo(*m_sandbox)));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | Test | 30d");
        m.identity = IdentityKey::Email;
        QVERIFY(MappingRepository(**ws).add(m));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // What most users have; the child processes inherit it.
        m_oldUmask = ::umask(022);
        m_sandbox = std::make_unique<SandboxProcess>(QStringLiteral("small.json"));
        QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    }
    void cleanupTestCase() { ::umask(m_oldUmask); }

    // A new workspace in new folders: the folders 0700, the file and its -wal/-shm 0600
    // (checked while the connection is open and has written, so both exist).
    void newWorkspace()
    {
        const QString top = m_dir.filePath(QStringLiteral("new"));
        const QString path = top + QStringLiteral("/team/workspace.sqlite");
        auto ws = Workspace::open(path);
        QVERIFY2(ws, ws ? "" : qPrintable(ws.error().message));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | Test | 30d");
        QVERIFY(MappingRepository(**ws).add(m));
        QCOMPARE(octal(modeOf(top)), octal(0700));
        QCOMPARE(octal(modeOf(top + QStringLiteral("/team"))), octal(0700));
        QCOMPARE(octal(modeOf(path)), octal(0600));
        QVERIFY(QFileInfo::exists(path + QStringLiteral("-wal")));
        QVERIFY(QFileInfo::exists(path + QStringLiteral("-shm")));
        QCOMPARE(octal(modeOf(path + QStringLiteral("-wal"))), octal(0600));
        QCOMPARE(octal(modeOf(path + QStringLiteral("-shm"))), octal(0600));
        // A folder that existed is the user's: left as it was.
        QCOMPARE(octal(modeOf(m_dir.path())), octal(0700)); // QTemporaryDir's own
    }

    // The CLI creates it the same way, and a sync's lock folder is private too.
    void cliWorkspaceAndLocks()
    {
        const QString path = m_dir.filePath(QStringLiteral("cli/workspace.sqlite"));
        connectedWorkspace(path);
        const CliRun r = runCli(path, {QStringLiteral("sync"), QStringLiteral("--all")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(octal(modeOf(m_dir.filePath(QStringLiteral("cli")))), octal(0700));
        QCOMPARE(octal(modeOf(path)), octal(0600));
        QVERIFY(QFileInfo(path + QStringLiteral(".locks")).isDir());
        QCOMPARE(octal(modeOf(path + QStringLiteral(".locks"))), octal(0700));
    }

    // A workspace others can read (an older Lockstep made them 0644) is fixed on open.
    void worldReadableWorkspaceFixed()
    {
        const QString path = m_dir.filePath(QStringLiteral("old.sqlite"));
        connectedWorkspace(path);
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        const CliRun r = runCli(path, {QStringLiteral("mapping"), QStringLiteral("list")}, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("was readable by other users (mode 644)"), r.err.constData());
        QCOMPARE(octal(modeOf(path)), octal(0600));
        // Once fixed, no more warnings.
        const CliRun again =
            runCli(path, {QStringLiteral("mapping"), QStringLiteral("list")}, env());
        QVERIFY2(!again.err.contains("readable by other users"), again.err.constData());
    }

    // Exports: 0600, also when they replace a file that others could read.
    void exportMode()
    {
        const QString path = m_dir.filePath(QStringLiteral("export.sqlite"));
        connectedWorkspace(path);
        const QString out = m_dir.filePath(QStringLiteral("audit.csv"));
        QVERIFY(writeFile(out, "old"));
        QVERIFY(::chmod(QFile::encodeName(out).constData(), 0644) == 0);
        const CliRun r = runCli(path,
                                {QStringLiteral("audit"), QStringLiteral("--format"),
                                 QStringLiteral("csv"), QStringLiteral("--output"), out},
                                env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(readFile(out).contains("CIO | Test | 30d"));
        QCOMPARE(octal(modeOf(out)), octal(0600));
        // No temporary file left beside it.
        QCOMPARE(QDir(m_dir.path())
                     .entryList({QStringLiteral(".audit.csv*")}, QDir::Files | QDir::Hidden),
                 QStringList());
    }

    // The runner's log: its folder 0700, the file 0600, the runner's lines in it.
    void runnerLogMode()
    {
        const QString path = m_dir.filePath(QStringLiteral("runner.sqlite"));
        connectedWorkspace(path);
        const QString log = m_dir.filePath(QStringLiteral("logs/lockstep/runner.log"));
        const CliRun r = runCli(
            path, {QStringLiteral("run"), QStringLiteral("--once"), QStringLiteral("--log"), log},
            env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(octal(modeOf(m_dir.filePath(QStringLiteral("logs")))), octal(0700));
        QCOMPARE(octal(modeOf(m_dir.filePath(QStringLiteral("logs/lockstep")))), octal(0700));
        QCOMPARE(octal(modeOf(log)), octal(0600));
        const QByteArray text = readFile(log);
        QVERIFY2(text.contains("runner started on"), text.constData());
        QVERIFY2(text.contains("mapping 1 run"), text.constData());
        QVERIFY(!text.contains(m_sandbox->appApiKey().toUtf8()));
    }

    // A destination that is a symbolic link is refused (exit 2), the link's target is
    // left as it was, and a dangling link's target is not created.
    void symlinkRefused_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("dangling");
        for (const char* command : {"audit --output", "run --log", "writePrivateFile"}) {
            QTest::newRow(qPrintable(QStringLiteral("%1, link to a file").arg(command)))
                << QString::fromLatin1(command) << false;
            QTest::newRow(qPrintable(QStringLiteral("%1, dangling link").arg(command)))
                << QString::fromLatin1(command) << true;
        }
    }
    void symlinkRefused()
    {
        QFETCH(QString, command);
        QFETCH(bool, dangling);
        static int n = 0;
        const QString folder = m_dir.filePath(QStringLiteral("links-%1").arg(++n));
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/ws.sqlite");
        connectedWorkspace(path);
        const QString target = folder + QStringLiteral("/precious.txt");
        const QByteArray precious = "someone else's file\n";
        if (!dangling)
            QVERIFY(writeFile(target, precious));
        const QString link = folder + QStringLiteral("/report.out");
        QVERIFY(QFile::link(target, link));

        QString message;
        if (command == QLatin1String("writePrivateFile")) {
            // The function every export of the CLI and the console goes through.
            const Status st = writePrivateFile(link, "export");
            QVERIFY(!st);
            QCOMPARE(st.error().category, SyncError::Category::Config);
            message = st.error().message;
        } else {
            const QStringList args =
                command == QLatin1String("audit --output")
                    ? QStringList{QStringLiteral("audit"), QStringLiteral("--output"), link}
                    : QStringList{QStringLiteral("run"), QStringLiteral("--once"),
                                  QStringLiteral("--log"), link};
            const CliRun r = runCli(path, args, env());
            QCOMPARE(r.exitCode, 2);
            message = QString::fromUtf8(r.err);
        }
        QVERIFY2(message.contains(QStringLiteral("symbolic link")), qPrintable(message));
        QVERIFY(QFileInfo(link).isSymLink());
        if (dangling) {
            QVERIFY(!QFileInfo::exists(target));
        } else {
            QCOMPARE(readFile(target), precious);
        }
    }
};

QTEST_GUILESS_MAIN(TestPrivateFiles)
#include "tst_private_files.moc"
