#include "testdatabase.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDebug>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace lockstep::test {

namespace {

QAtomicInteger<int> s_counter;

struct ServerInfo
{
    QString host;
    int port = 0;
    QString user;
};

// The fixture writes KEY=value lines to pg.env (tests/pg/pg-server.sh); the tests get
// its path in LOCKSTEP_PG_ENV, else the build tree's default location.
ServerInfo serverInfo()
{
    QString path = qEnvironmentVariable("LOCKSTEP_PG_ENV");
    if (path.isEmpty())
        path = QStringLiteral(LOCKSTEP_PG_ENV_FILE);
    QFile f(path);
    ServerInfo info;
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return info;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq < 0)
            continue;
        const QString key = line.left(eq);
        const QString value = line.mid(eq + 1);
        if (key == QLatin1String("LOCKSTEP_PG_HOST"))
            info.host = value;
        else if (key == QLatin1String("LOCKSTEP_PG_PORT"))
            info.port = value.toInt();
        else if (key == QLatin1String("LOCKSTEP_PG_USER"))
            info.user = value;
    }
    return info;
}

// Runs `sql` on the server's maintenance database; empty string on success, else why.
QString execAdmin(const ServerInfo& info, const QString& sql)
{
    const QString name =
        QStringLiteral("lockstep-test-admin-%1").arg(s_counter.fetchAndAddRelaxed(1));
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(info.host);
        db.setPort(info.port);
        db.setUserName(info.user);
        db.setDatabaseName(QStringLiteral("postgres"));
        db.setConnectOptions(QStringLiteral("connect_timeout=10"));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!sql.isEmpty() && !q.exec(sql))
                error = q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}

} // namespace

bool TestDatabase::usingPostgres()
{
    return qEnvironmentVariable("LOCKSTEP_TEST_STORE")
               .compare(QLatin1String("postgresql"), Qt::CaseInsensitive) == 0;
}

QString TestDatabase::postgresUrl(const QString& database)
{
    const ServerInfo info = serverInfo();
    if (info.port == 0)
        return {};
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(info.user, info.host)
        .arg(info.port)
        .arg(database);
}

bool TestDatabase::postgresAvailable()
{
    const ServerInfo info = serverInfo();
    return info.port != 0 && execAdmin(info, QString()).isEmpty();
}

QString TestDatabase::createPostgresDatabase(QString* error)
{
    const ServerInfo info = serverInfo();
    if (info.port == 0) {
        if (error)
            *error = QStringLiteral("the PostgreSQL fixture is not running (no pg.env; run the "
                                    "test through ctest, which starts pg_start first)");
        return {};
    }
    // Unique across parallel test processes and across calls in one process.
    const QString name = QStringLiteral("lockstep_test_%1_%2_%3")
                             .arg(QCoreApplication::applicationPid())
                             .arg(s_counter.fetchAndAddRelaxed(1))
                             .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    const QString why = execAdmin(info, QStringLiteral("CREATE DATABASE %1").arg(name));
    if (!why.isEmpty()) {
        if (error)
            *error = QStringLiteral("cannot create database %1: %2").arg(name, why);
        return {};
    }
    return postgresUrl(name);
}

QString TestDatabase::freshWorkspace(const QString& tempDir)
{
    if (!usingPostgres())
        return QStringLiteral("%1/workspace-%2.sqlite")
            .arg(tempDir)
            .arg(s_counter.fetchAndAddRelaxed(1));
    QString error;
    const QString url = createPostgresDatabase(&error);
    if (url.isEmpty())
        qWarning().noquote() << "TestDatabase:" << error;
    return url;
}

} // namespace lockstep::test
