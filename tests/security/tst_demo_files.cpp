// `lockstep --demo` never deletes a file it did not create. With `--workspace FILE` it
// refuses a FILE that exists (or its journal, or a link there), leaving it as it was;
// with a new FILE it makes the demo there. Without `--workspace` it works in a private
// temporary folder of its own, removed when it ends, and leaves the file an older
// Lockstep used for the demo alone. The demo allows its own sandbox for its made-up
// keys: the children run without LOCKSTEP_ALLOWED_HOSTS, and the demo's syncs succeed.
#include "store/workspace.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace lockstep;

namespace {

struct Demo
{
    int exitCode = -1;
    QByteArray err;
};

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

class TestDemoFiles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        e.insert(QStringLiteral("XDG_DATA_HOME"),
                 m_dir.filePath(QStringLiteral("home/.local/share")));
        e.insert(QStringLiteral("TMPDIR"), m_dir.filePath(QStringLiteral("tmp")));
        e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        e.remove(QStringLiteral("LOCKSTEP_ALLOWED_HOSTS"));
        e.remove(QStringLiteral("LOCKSTEP_WORKSPACE"));
        return e;
    }

    Demo demo(const QStringList& args)
    {
        QProcess p;
        p.setProcessEnvironment(env());
        p.start(QStringLiteral(LOCKSTEP_BIN), QStringList{QStringLiteral("--demo")} + args);
        Demo d;
        if (!p.waitForStarted(10000) || !p.waitForFinished(240000)) {
            p.kill();
            p.waitForFinished();
            return d;
        }
        d.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        d.err = p.readAllStandardError();
        return d;
    }

    static int failedRuns(const QString& workspace, int* total)
    {
        auto ws = Workspace::open(workspace);
        if (!ws)
            return -1;
        QSqlQuery q((*ws)->db());
        q.exec(QStringLiteral("SELECT COUNT(*), SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) "
                              "FROM runs"));
        if (!q.next())
            return -1;
        *total = q.value(0).toInt();
        return q.value(1).toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(
            QDir().mkpath(m_dir.filePath(QStringLiteral("home/.local/share/Lockstep/lockstep"))));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("tmp"))));
    }

    // An existing file, its journal alone, or a link (dangling or not): refused, and
    // nothing is touched or created.
    void existingRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("a file") << "file";
        QTest::newRow("its -wal") << "wal";
        QTest::newRow("a link to a file") << "link";
        QTest::newRow("a dangling link") << "dangling";
    }
    void existingRefused()
    {
        QFETCH(QString, kind);
        const QString folder = m_dir.filePath(QStringLiteral("refuse-") + kind);
        QVERIFY(QDir().mkpath(folder));
        const QString file = folder + QStringLiteral("/mine.sqlite");
        const QString target = folder + QStringLiteral("/target.sqlite");
        const QByteArray mine = "not a demo: the user's own data\n";
        if (kind == QLatin1String("file"))
            QVERIFY(writeFile(file, mine));
        if (kind == QLatin1String("wal"))
            QVERIFY(writeFile(file + QStringLiteral("-wal"), mine));
        if (kind == QLatin1String("link")) {
            QVERIFY(writeFile(target, mine));
            QVERIFY(QFile::link(target, file));
        }
        if (kind == QLatin1String("dangling"))
            QVERIFY(QFile::link(target, file));
        const QStringList before =
            QDir(folder).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);

        const Demo d = demo({QStringLiteral("--workspace"), file});
        QCOMPARE(d.exitCode, 2);
        QVERIFY2(d.err.contains("already exists"), d.err.constData());
        QCOMPARE(QDir(folder).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot),
                 before);
        if (kind == QLatin1String("file"))
            QCOMPARE(readFile(file), mine);
        if (kind == QLatin1String("wal"))
            QCOMPARE(readFile(file + QStringLiteral("-wal")), mine);
        if (kind == QLatin1String("link"))
            QCOMPARE(readFile(target), mine);
        if (kind == QLatin1String("dangling"))
            QVERIFY(!QFileInfo::exists(target));
    }

    // A new file: the demo is made there (owner-only) and its syncs reach its sandbox.
    void newFileUsed()
    {
        const QString file = m_dir.filePath(QStringLiteral("fresh/demo.sqlite"));
        const Demo d = demo({QStringLiteral("--workspace"), file, QStringLiteral("--screenshot"),
                             m_dir.filePath(QStringLiteral("shots-1"))});
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QVERIFY(QFileInfo(file).isFile());
        struct stat st = {};
        QVERIFY(::stat(QFile::encodeName(file).constData(), &st) == 0);
        QCOMPARE(int(st.st_mode & 0777), 0600);
        int total = 0;
        QCOMPARE(failedRuns(file, &total), 0);
        QVERIFY(total > 0);
    }

    // No --workspace: a private folder of its own, gone afterwards; the file an older
    // Lockstep deleted and recreated for every demo is left alone.
    void defaultLeavesOtherFilesAlone()
    {
        const QString old = m_dir.filePath(
            QStringLiteral("home/.local/share/Lockstep/lockstep/demo-workspace.sqlite"));
        const QByteArray mine = "kept: the demo did not create this\n";
        QVERIFY(writeFile(old, mine));
        QVERIFY(writeFile(old + QStringLiteral("-wal"), mine));
        const QString shots = m_dir.filePath(QStringLiteral("shots-2"));
        const Demo d = demo({QStringLiteral("--screenshot"), shots});
        QVERIFY2(d.exitCode == 0, d.err.constData());
        QVERIFY(!QDir(shots).entryList({QStringLiteral("*.png")}).isEmpty());
        QCOMPARE(readFile(old), mine);
        QCOMPARE(readFile(old + QStringLiteral("-wal")), mine);
        QCOMPARE(
            QDir(m_dir.filePath(QStringLiteral("tmp")))
                .entryList({QStringLiteral("lockstep-demo-*")}, QDir::AllEntries | QDir::Hidden),
            QStringList());
    }
};

QTEST_GUILESS_MAIN(TestDemoFiles)
#include "tst_demo_files.moc"
