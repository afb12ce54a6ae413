// SecretStore against a real Secret Service (gnome-keyring under a private D-Bus
// session, see with-secret-service.sh): write, read back, overwrite, remove; the value
// is never logged and never lands in a plain file.
#include "secretstore.h"

#include "util/redaction.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QTest>
#include <QUuid>

using namespace lockstep;

namespace {
QStringList g_log;
void capture(QtMsgType, const QMessageLogContext&, const QString& msg)
{
    g_log << msg;
}

// A value nobody else would produce, so finding it anywhere is a leak.
QString randomSecret(const char* prefix)
{
    return QString::fromLatin1(prefix) + QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

class TestSecretStore : public QObject
{
    Q_OBJECT
private:
    Result<QString> read(const QString& key)
    {
        std::optional<Result<QString>> r;
        m_store->read(key, [&r](Result<QString> v) { r = std::move(v); });
        if (!QTest::qWaitFor([&r] { return r.has_value(); }, 20000))
            return SyncError::make(SyncError::Category::Timeout, QStringLiteral("no answer"));
        return *r;
    }
    Status waitStatus(const std::function<void(std::function<void(Status)>)>& call)
    {
        std::optional<Status> st;
        call([&st](Status s) { st = std::move(s); });
        if (!QTest::qWaitFor([&st] { return st.has_value(); }, 20000))
            return SyncError::make(SyncError::Category::Timeout, QStringLiteral("no answer"));
        return *st;
    }

    std::unique_ptr<SecretStore> m_store;
    QStringList m_written;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "run me through with-secret-service.sh");
        qInstallMessageHandler(capture);
        installRedactingMessageHandler();
        QLoggingCategory::setFilterRules(QStringLiteral("*=true"));
        m_store = std::make_unique<SecretStore>();
        QCOMPARE(m_store->service(), QStringLiteral("io.lockstep.Lockstep"));
    }

    void writeThenRead()
    {
        const QString secret = randomSecret("cio-");
        m_written << secret;
        const QString key = QString::fromLatin1(SecretStore::kCustomerIoAppApiKey);
        Status st = waitStatus([&](auto done) { m_store->write(key, secret, done); });
        QVERIFY2(st.ok(), qPrintable(st.error().message));
        Result<QString> r = read(key);
        QVERIFY2(r.ok(), qPrintable(r.error().message));
        QCOMPARE(*r, secret);

        // Overwrite: the new value replaces the old one.
        const QString second = randomSecret("cio2-");
        m_written << second;
        st = waitStatus([&](auto done) { m_store->write(key, second, done); });
        QVERIFY(st.ok());
        r = read(key);
        QVERIFY(r.ok());
        QCOMPARE(*r, second);
    }

    void missingEntryIsNotFound()
    {
        const Result<QString> r = read(QStringLiteral("never/written"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().category, SyncError::Category::NotFound);
    }

    void removeThenReadIsNotFound()
    {
        const QString key = QStringLiteral("test/remove-me");
        const QString secret = randomSecret("rm-");
        m_written << secret;
        QVERIFY(waitStatus([&](auto done) { m_store->write(key, secret, done); }).ok());
        QVERIFY(read(key).ok());
        QVERIFY(waitStatus([&](auto done) { m_store->remove(key, done); }).ok());
        QCOMPARE(read(key).error().category, SyncError::Category::NotFound);
        // Removing again is fine.
        QVERIFY(waitStatus([&](auto done) { m_store->remove(key, done); }).ok());
    }

    void credentialsRoundTrip()
    {
        Credentials c;
        c.customerIoAppApiKey = randomSecret("k-");
        c.mixpanelProjectToken = randomSecret("t-");
        c.mixpanelServiceAccount = QStringLiteral("sa-user:") + randomSecret("sa-");
        m_written << c.customerIoAppApiKey << c.mixpanelProjectToken << c.mixpanelServiceAccount;
        QVERIFY(waitStatus([&](auto done) { m_store->writeCredentials(c, done); }).ok());
        std::optional<Result<Credentials>> r;
        m_store->readCredentials([&r](Result<Credentials> v) { r = std::move(v); });
        QTRY_VERIFY_WITH_TIMEOUT(r.has_value(), 20000);
        QVERIFY2(r->ok(), qPrintable(r->error().message));
        QCOMPARE(r->value().customerIoAppApiKey, c.customerIoAppApiKey);
        QCOMPARE(r->value().mixpanelProjectToken, c.mixpanelProjectToken);
        QCOMPARE(r->value().mixpanelServiceAccount, c.mixpanelServiceAccount);

        // An empty credential removes its entry.
        Credentials partial = c;
        partial.mixpanelProjectToken.clear();
        QVERIFY(waitStatus([&](auto done) { m_store->writeCredentials(partial, done); }).ok());
        QCOMPARE(read(QString::fromLatin1(SecretStore::kMixpanelProjectToken)).error().category,
                 SyncError::Category::NotFound);
    }

    // What was read is registered for redaction: logging it shows [redacted].
    void readValuesAreRedactedInLogs()
    {
        const Result<QString> r = read(QString::fromLatin1(SecretStore::kCustomerIoAppApiKey));
        QVERIFY(r.ok());
        g_log.clear();
        qWarning() << "the key is" << *r;
        QCOMPARE(g_log.size(), 1);
        QVERIFY2(!g_log.first().contains(*r), qPrintable(g_log.first()));
    }

    // No value in any log line, nor in plain text anywhere under the test's HOME (the
    // keyring file is encrypted; a plain-text fallback would show up here).
    void cleanupTestCase()
    {
        QVERIFY(!m_written.isEmpty());
        for (const QString& line : std::as_const(g_log))
            for (const QString& s : std::as_const(m_written))
                QVERIFY2(!line.contains(s), "a secret reached the log");
        QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden | QDir::System,
                        QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            ++files;
            const QByteArray bytes = f.readAll();
            for (const QString& s : std::as_const(m_written))
                QVERIFY2(!bytes.contains(s.toUtf8()), qPrintable(f.fileName()));
        }
        QVERIFY2(files > 0, "the keyring wrote no file: is this a real Secret Service?");
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
