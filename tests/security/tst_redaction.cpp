// Log redaction: registered secrets (and their encodings), Authorization values and
// Basic/Bearer tokens never reach the log, through the real Qt message handler chain.
#include "util/redaction.h"

#include <QLoggingCategory>
#include <QTest>
#include <QThread>

using namespace lockstep;

namespace {
QStringList g_captured;
void capture(QtMsgType, const QMessageLogContext&, const QString& msg)
{
    g_captured << msg;
}
Q_LOGGING_CATEGORY(lcTest, "lockstep.test.redaction")
} // namespace

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The previous handler the redacting one must chain to.
        qInstallMessageHandler(capture);
        installRedactingMessageHandler(
            {QStringLiteral("cio-KEY-8f2a91"), QStringLiteral("sa-user:sa-SECRET-77c1")});
    }

    void redacts_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("secret") << "key is cio-KEY-8f2a91."
                                << "key is [redacted].";
        QTest::newRow("secret twice") << "cio-KEY-8f2a91cio-KEY-8f2a91"
                                      << "[redacted][redacted]";
        QTest::newRow("password part of a service account") << "secret sa-SECRET-77c1 here"
                                                            << "secret [redacted] here";
        QTest::newRow("whole service account") << "sa-user:sa-SECRET-77c1"
                                               << "[redacted]";
        QTest::newRow("base64 of the service account")
            << QString::fromLatin1("x " + QByteArray("sa-user:sa-SECRET-77c1").toBase64())
            << "x [redacted]";
        QTest::newRow("percent-encoded") << "u?k=sa-user%3Asa-SECRET-77c1"
                                         << "u?k=[redacted]";
        QTest::newRow("authorization header line") << "Authorization: Bearer unknown-token-123"
                                                   << "Authorization: [redacted]";
        QTest::newRow("authorization in a header dump")
            << R"(("Authorization", "Basic Zm9vOmJhcg=="))"
            << R"(("Authorization", "[redacted]"))";
        QTest::newRow("authorization as JSON") << R"({"authorization":"Bearer abcdefgh1"})"
                                               << R"({"authorization":"[redacted]"})";
        QTest::newRow("bare bearer token") << "sent Bearer eyJhbGciOi.J9x then"
                                           << "sent Bearer [redacted] then";
        QTest::newRow("bare basic token") << "Basic dXNlcjpwYXNz"
                                          << "Basic [redacted]";
        QTest::newRow("ordinary words stay") << "Basic settings saved; Bearer of news"
                                             << "Basic settings saved; Bearer of news";
        QTest::newRow("nothing secret") << "synced 2500 members"
                                        << "synced 2500 members";
    }
    void redacts()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(redactSecrets(input), expected);
    }

    // Through qWarning/qCDebug: what the chained handler receives is redacted.
    void handlerChain()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("lockstep.*=true"));
        registerSecrets({QStringLiteral("mp-token-registered-later")});
        g_captured.clear();
        qWarning("token %s", "mp-token-registered-later");
        qCDebug(lcTest) << "key" << QStringLiteral("cio-KEY-8f2a91");
        qCInfo(lcTest, "Authorization: Basic c2EtdXNlcjpzYS1TRUNSRVQtNzdjMQ==");
        QCOMPARE(g_captured.size(), 3);
        for (const QString& line : std::as_const(g_captured)) {
            QVERIFY2(line.contains(QLatin1String("[redacted]")), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("mp-token-registered-later")) &&
                         !line.contains(QLatin1String("cio-KEY-8f2a91")) &&
                         !line.contains(QLatin1String("c2EtdXNl")),
                     qPrintable(line));
        }
    }

    // Messages from another thread are redacted too (the registry is locked).
    void fromAnotherThread()
    {
        g_captured.clear();
        QThread* t = QThread::create([] { qWarning("cio-KEY-8f2a91"); });
        t->start();
        QVERIFY(t->wait(5000));
        delete t;
        QCOMPARE(g_captured, QStringList{QStringLiteral("[redacted]")});
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
