// TokenProbe against the sandbox in its default, Mixpanel-like mode: /engage answers 1 to
// a token of another project and drops its updates, so only the read-back tells. Each
// outcome is a row; the throwaway profile never stays behind in the project.
#include "trustfixture.h"

#include "trust/querybudget.h"
#include "trust/tokenprobe.h"
#include "trust/truststore.h"

#include <QRegularExpression>
#include <QUrlQuery>

using namespace lockstep;
using lockstep::test::TrustFixture;

namespace {

QJsonObject scenario(bool strictToken)
{
    QJsonObject s = test::trustScenario(1000);
    QJsonObject mp = s.value(QStringLiteral("mixpanel")).toObject();
    mp.insert(QStringLiteral("strict_token"), strictToken);
    s.insert(QStringLiteral("mixpanel"), mp);
    return s;
}

bool profileExists(test::SandboxProcess& s, const QString& id)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("distinct_id"), id);
    return s.control("GET", QStringLiteral("/_sandbox/profiles?") + q.query(QUrl::FullyEncoded))
        .isObject();
}

int profileCount(test::SandboxProcess& s)
{
    return s.control("GET", QStringLiteral("/_sandbox/info"))
        .toObject()
        .value(QStringLiteral("profiles"))
        .toInt();
}

} // namespace

using Outcome = TokenProbeResult::Outcome;
Q_DECLARE_METATYPE(Outcome)

class TestTokenProbe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outcomes_data();
    void outcomes();
    void fingerprintIsNotTheToken();
    void waitIsBounded();
};

void TestTokenProbe::outcomes_data()
{
    QTest::addColumn<QString>("token");          // "" = the project's own
    QTest::addColumn<QString>("serviceAccount"); // "" = the sandbox's, "-" = none
    QTest::addColumn<qint64>("projectId");       // 0 = the sandbox's, -1 = none
    QTest::addColumn<int>("usedElsewhere");      // queries of this hour already recorded
    QTest::addColumn<bool>("strictToken");       // the sandbox's strict_token
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<int>("queries");
    QTest::addColumn<bool>("writes");
    QTest::addColumn<QString>("message"); // a regular expression

    QTest::newRow("right token: proven")
        << QString() << QString() << qint64(0) << 0 << false << Outcome::Proven << 1 << true
        << QStringLiteral("writes to project \\d+ \\(read back after");
    QTest::newRow("token of another project")
        << QStringLiteral("token-of-another-project") << QString() << qint64(0) << 0 << false
        << Outcome::WrongProject << 4 << true
        << QStringLiteral("^the project token does not write to project \\d+ "
                          "\\(waited \\d+\\.\\d s\\)$");
    QTest::newRow("another project, refused outright")
        << QStringLiteral("token-of-another-project") << QString() << qint64(0) << 0 << true
        << Outcome::WrongProject << 0 << true
        << QStringLiteral("does not write to project \\d+ \\(Mixpanel refused");
    QTest::newRow("no service account")
        << QString() << QStringLiteral("-") << qint64(0) << 0 << false << Outcome::CannotProve << 0
        << false << QStringLiteral("needs a service account");
    QTest::newRow("no project id")
        << QString() << QString() << qint64(-1) << 0 << false << Outcome::CannotProve << 0 << false
        << QStringLiteral("no Mixpanel project id");
    QTest::newRow("budget spent") << QString() << QString() << qint64(0) << 60 << false
                                  << Outcome::CannotProve << 0 << false
                                  << QStringLiteral(
                                         "query budget is used up.*not a failure of the token");
    QTest::newRow("budget spent while waiting")
        << QStringLiteral("token-of-another-project") << QString() << qint64(0) << 58 << false
        << Outcome::CannotProve << 2 << true
        << QStringLiteral("not read back .*\\(reads: 2\\).*query budget is used up.*not a failure "
                          "of the token");
    QTest::newRow("service account refused")
        << QString() << QStringLiteral("sa:wrong") << qint64(0) << 0 << false << Outcome::Failed
        << 1 << true << QStringLiteral("could not read back from project");
}

void TestTokenProbe::outcomes()
{
    QFETCH(QString, token);
    QFETCH(QString, serviceAccount);
    QFETCH(qint64, projectId);
    QFETCH(int, usedElsewhere);
    QFETCH(bool, strictToken);
    QFETCH(Outcome, outcome);
    QFETCH(int, queries);
    QFETCH(bool, writes);
    QFETCH(QString, message);

    TrustFixture f(scenario(strictToken));
    QVERIFY2(f.ok(), qPrintable(f.sandbox.errorString()));
    MixpanelEndpoints ep = f.services.mixpanel;
    if (!token.isEmpty())
        ep.projectToken = token;
    if (serviceAccount == QLatin1String("-"))
        ep.serviceAccount.clear();
    else if (!serviceAccount.isEmpty())
        ep.serviceAccount = serviceAccount;
    if (projectId < 0)
        ep.projectId = 0;
    if (usedElsewhere > 0)
        QVERIFY(TrustStore(*f.ws).recordQueries(QDateTime::currentMSecsSinceEpoch(), usedElsewhere,
                                                QStringLiteral("someone else")));
    const int profilesBefore = profileCount(f.sandbox);
    f.sandbox.resetStats();

    QueryBudget budget(*f.ws, &f.http, Clock::system());
    TokenProbeOptions options;
    options.firstDelayMs = 20; // 20, 60, 180, 540 ms: the sandbox ingests at once
    TokenProbe probe(&f.http, ep, &budget, Clock::system(), options);
    std::optional<TokenProbeResult> result;
    int calls = 0;
    probe.start([&](TokenProbeResult r) {
        ++calls;
        result = r;
    });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
    qInfo() << TokenProbeResult::outcomeName(result->outcome) << result->message << "waited"
            << result->waitedMs << "ms," << result->queriesUsed << "queries";
    QCOMPARE(result->outcome, outcome);
    QCOMPARE(result->proven(), outcome == Outcome::Proven);
    QVERIFY2(QRegularExpression(message).match(result->message).hasMatch(),
             qPrintable(result->message));
    QCOMPARE(result->queriesUsed, queries);
    // Each read is one query of the shared budget, recorded where other processes see it.
    QCOMPARE(f.routeRequests(QStringLiteral("mp.query.engage")) +
                 f.routeRequests(QStringLiteral("mp.query.engage"), QStringLiteral("401")),
             queries);
    QCOMPARE(budget.left(), std::max(0, 60 - usedElsewhere - queries));
    // The token never appears in what the operator reads.
    QVERIFY(!result->message.contains(ep.projectToken));

    const QJsonObject engage = f.sandbox.stats().value(QStringLiteral("engage")).toObject();
    if (!writes) {
        QCOMPARE(engage.value(QStringLiteral("updates")).toInt(), 0);
        QVERIFY(result->distinctId.isEmpty());
    } else if (strictToken) {
        QCOMPARE(engage.value(QStringLiteral("updates")).toInt(), 1); // refused: nothing to delete
        QVERIFY(result->distinctId.isEmpty());
    } else {
        // Written, then deleted (a $delete with the same token, dropped with it when the
        // token writes elsewhere).
        QVERIFY2(result->distinctId.startsWith(QStringLiteral("lockstep-probe-")),
                 qPrintable(result->distinctId));
        QCOMPARE(engage.value(QStringLiteral("updates")).toInt(), 2);
        QVERIFY(result->deleted);
    }
    // Whatever the outcome, the throwaway profile does not remain in the project.
    QVERIFY(result->distinctId.isEmpty() || !profileExists(f.sandbox, result->distinctId));
    QCOMPARE(profileCount(f.sandbox), profilesBefore);
    QTest::qWait(50);
    QCOMPARE(calls, 1);
}

void TestTokenProbe::fingerprintIsNotTheToken()
{
    const QString token = QStringLiteral("0123456789abcdef0123456789abcdef");
    const QString fp = TokenProbe::fingerprint(token, 42);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(fp).hasMatch());
    QCOMPARE(TokenProbe::fingerprint(token, 42), fp);                     // stable
    QVERIFY(TokenProbe::fingerprint(token, 43) != fp);                    // another project
    QVERIFY(TokenProbe::fingerprint(token + QLatin1Char('0'), 42) != fp); // another token
    QVERIFY(!fp.contains(token) && !fp.contains(token.left(8)));
}

void TestTokenProbe::waitIsBounded()
{
    TokenProbeOptions o;
    QCOMPARE(o.maxReads, 4);
    QCOMPARE(o.maxWaitMs(), qint64(1000 + 3000 + 9000 + 27000));
    o.firstDelayMs = 20;
    QCOMPARE(o.maxWaitMs(), qint64(20 + 60 + 180 + 540));
    o.maxReads = 100; // capped
    QCOMPARE(o.maxWaitMs(), qint64(20) * (59049 - 1) / 2);
}

QTEST_GUILESS_MAIN(TestTokenProbe)
#include "tst_tokenprobe.moc"
