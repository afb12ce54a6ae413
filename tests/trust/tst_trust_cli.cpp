// The trust commands as scripts use them: `lockstep rehearse|spot-check|checklist|
// latency` against the sandbox, their exit codes, the query budget shared between
// processes, and the readiness that `lockstep status --json` reports per mapping.
#include "trustfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

using lockstep::test::SandboxProcess;

namespace {
struct Cli
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};
} // namespace

class TestTrustCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void usageErrors();
    void spotCheckAndBudget();
    void rehearseWithCleanup();
    void checklistAndStatus();
    void newFieldsFromTheCommandLine();

private:
    Cli lockstep(const QStringList& args, const QMap<QString, QString>& env = {});

    std::unique_ptr<SandboxProcess> m_sandbox;
    QTemporaryDir m_dir;
    QString m_workspace;
};

Cli TestTrustCli::lockstep(const QStringList& args, const QMap<QString, QString>& extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), m_sandbox->appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), m_sandbox->projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), m_sandbox->serviceAccount());
    for (auto it = extra.begin(); it != extra.end(); ++it)
        env.insert(it.key(), it.value());
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_BIN),
            QStringList{QStringLiteral("--workspace"), m_workspace} + args);
    Cli c;
    if (!p.waitForFinished(120000))
        return c;
    c.exitCode = p.exitCode();
    c.out = p.readAllStandardOutput();
    c.err = p.readAllStandardError();
    return c;
}

void TestTrustCli::initTestCase()
{
    m_sandbox = std::make_unique<SandboxProcess>(lockstep::test::trustScenario());
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_workspace = m_dir.filePath(QStringLiteral("trust.sqlite"));
    Cli c = lockstep({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                      m_sandbox->customerIo().toString(), QStringLiteral("--mixpanel-url"),
                      m_sandbox->mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                      m_sandbox->mixpanelQuery().toString(), QStringLiteral("--project-id"),
                      QString::number(m_sandbox->projectId())});
    QCOMPARE(c.exitCode, 0);
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                  QStringLiteral("1"), QStringLiteral("--cohort"), lockstep::test::kCohort,
                  QStringLiteral("--identity"), QStringLiteral("email")});
    QCOMPARE(c.exitCode, 0);
    QCOMPARE(c.out.trimmed(), QByteArray("1"));
}

void TestTrustCli::usageErrors()
{
    QCOMPARE(lockstep({QStringLiteral("spot-check")}).exitCode, 2);
    QCOMPARE(
        lockstep({QStringLiteral("spot-check"), QStringLiteral("--mapping"), QStringLiteral("99")})
            .exitCode,
        2);
    QCOMPARE(
        lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("1")})
            .exitCode,
        2);
    QCOMPARE(
        lockstep({QStringLiteral("checklist"), QStringLiteral("--mapping"), QStringLiteral("x")})
            .exitCode,
        2);
    QCOMPARE(lockstep({QStringLiteral("latency"), QStringLiteral("--mapping"), QStringLiteral("1"),
                       QStringLiteral("--expect"), QStringLiteral("soon")})
                 .exitCode,
             2);
    // Too big a test segment: refused before anything is written.
    const Cli big =
        lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--test-segment"), QStringLiteral("4")});
    QCOMPARE(big.exitCode, 2);
    QVERIFY2(big.err.contains("at most 200"), big.err.constData());
}

void TestTrustCli::spotCheckAndBudget()
{
    m_sandbox->control("POST", QStringLiteral("/_sandbox/query_budget/reset"));
    // Before any sync: everyone is "not yet synced" (or has no key) -> exit 1.
    Cli c = lockstep({QStringLiteral("spot-check"), QStringLiteral("--mapping"),
                      QStringLiteral("1"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 1);
    QJsonObject o = c.json();
    QCOMPARE(o.value(QStringLiteral("passed")).toBool(), false);
    QCOMPARE(o.value(QStringLiteral("people_total")).toInt(), 4); // the whole segment (4 < 10)
    QCOMPARE(o.value(QStringLiteral("queries_left_this_hour")).toInt(), 59);

    QCOMPARE(lockstep({QStringLiteral("sync"), QStringLiteral("--mapping"), QStringLiteral("1")})
                 .exitCode,
             0);
    c = lockstep({QStringLiteral("spot-check"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--person"),
                  QStringLiteral("alice@example.com"), QStringLiteral("bob")});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains("2 of 2 people agree"), c.out.constData());
    // The budget is per project, so a process sees the others' queries: the first spot
    // check's, and the sync's four (the token probe's read-back before its first run; that
    // run is a full one, which lists the cohort's holders and verifies the keys it entered;
    // then it reads the cohort counts back).
    QVERIFY2(c.out.contains("Mixpanel query budget: 54 of 60 left this hour"), c.out.constData());

    // A smaller hourly budget (shared with other tools): refused by Lockstep, not by Mixpanel.
    m_sandbox->resetStats();
    c = lockstep({QStringLiteral("spot-check"), QStringLiteral("--mapping"), QStringLiteral("1")},
                 {{QStringLiteral("LOCKSTEP_QUERY_PER_HOUR"), QStringLiteral("2")}});
    QCOMPARE(c.exitCode, 1);
    QVERIFY2(c.err.contains("query budget is used up"), c.err.constData());
    QVERIFY2(c.out.contains("0 of 2 left"), c.out.constData());
    const QJsonObject routes = m_sandbox->stats().value(QStringLiteral("routes")).toObject();
    QCOMPARE(routes.value(QStringLiteral("mp.query.engage"))
                 .toObject()
                 .value(QStringLiteral("requests"))
                 .toInt(),
             0);
    QCOMPARE(routes.value(QStringLiteral("cio.membership"))
                 .toObject()
                 .value(QStringLiteral("requests"))
                 .toInt(),
             0);
}

void TestTrustCli::rehearseWithCleanup()
{
    Cli c = lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("1"),
                      QStringLiteral("--test-segment"), QStringLiteral("2"),
                      QStringLiteral("--cleanup"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 0);
    const QJsonObject o = c.json();
    const QJsonObject r = o.value(QStringLiteral("rehearsal")).toObject();
    QVERIFY(r.value(QStringLiteral("passed")).toBool());
    QCOMPARE(r.value(QStringLiteral("people_passed")).toInt(), 2);
    QVERIFY(
        o.value(QStringLiteral("cleanup")).toObject().value(QStringLiteral("verified")).toBool());
    QVERIFY(m_sandbox
                ->profilesWith(QStringLiteral("cio_cohorts"),
                               r.value(QStringLiteral("value")).toString())
                .isEmpty());

    // Without --cleanup the value stays until --cleanup-last; a failing person exits 1.
    c = lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--test-segment"), QStringLiteral("3")});
    QCOMPARE(c.exitCode, 1);
    QVERIFY2(c.out.contains("identity_key_missing") && c.out.contains("--cleanup-last"),
             c.out.constData());
    const QString out = QString::fromUtf8(c.out);
    const qsizetype at = out.indexOf(QStringLiteral("temporary value: \""));
    QVERIFY(at >= 0);
    const qsizetype from = at + int(qstrlen("temporary value: \""));
    const QString value = out.mid(from, out.indexOf(QLatin1Char('"'), from) - from);
    const QStringList carriers = m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value);
    QVERIFY2(!carriers.isEmpty(), qPrintable(value));
    // The workspace kept counts, not whom it wrote to: the cleanup finds the carriers in
    // Mixpanel and removes the value from each.
    c = lockstep({QStringLiteral("rehearse"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--cleanup-last")});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains("verified gone"), c.out.constData());
    QVERIFY(m_sandbox->profilesWith(QStringLiteral("cio_cohorts"), value).isEmpty());
    QVERIFY2(
        c.out.contains(QByteArray("\" from " + QByteArray::number(carriers.size()) + " profiles")),
        c.out.constData());
}

void TestTrustCli::checklistAndStatus()
{
    Cli c = lockstep({QStringLiteral("checklist"), QStringLiteral("--mapping"), QStringLiteral("1"),
                      QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 1); // no owner, decision or latency expectation yet
    QJsonObject items = c.json().value(QStringLiteral("items")).toObject();
    QCOMPARE(items.size(), 10);
    auto done = [&](const char* k) {
        return items.value(QLatin1String(k)).toObject().value(QStringLiteral("done")).toBool();
    };
    QVERIFY(done("identity_verified"));         // the passing spot check above
    QVERIFY(done("rehearsal_passed") == false); // the newest rehearsal failed (t3)
    QVERIFY(done("name_convention"));
    QVERIFY(!done("segment_owner_set"));
    QVERIFY(!done("health_monitor_set"));
    QVERIFY(!done("segment_stability_reviewed"));
    QVERIFY(!done("reporting_plan_set"));
    QVERIFY(!done("latency_expectation_set"));
    QVERIFY(done("cohort_definition_created")); // verified live through /cohorts/list

    c = lockstep({QStringLiteral("latency"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--expect"), QStringLiteral("60"), QStringLiteral("--json")});
    QCOMPARE(c.exitCode, 0);
    QCOMPARE(c.json().value(QStringLiteral("expectation_minutes")).toInt(), 60);
    QVERIFY(c.json().value(QStringLiteral("runs")).toInt() >= 1);

    c = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject mapping =
        c.json().value(QStringLiteral("mappings")).toArray().first().toObject();
    QCOMPARE(mapping.value(QStringLiteral("ready")).toBool(), false);
    const QJsonObject checklist = mapping.value(QStringLiteral("checklist")).toObject();
    QVERIFY(checklist.value(QStringLiteral("latency_expectation_set"))
                .toObject()
                .value(QStringLiteral("done"))
                .toBool());
    QVERIFY(!checklist.value(QStringLiteral("segment_owner_set"))
                 .toObject()
                 .value(QStringLiteral("done"))
                 .toBool());
    QVERIFY(mapping.contains(QStringLiteral("latency")));
}

void TestTrustCli::newFieldsFromTheCommandLine()
{
    // `mapping set` edits the new fields; the checklist, status --json and the audit export
    // show each item with its evidence.
    const QString url = QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=3");
    Cli c = lockstep({QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("1"),
                      QStringLiteral("--segment-owner"), QStringLiteral("Maya (retention)"),
                      QStringLiteral("--health-monitor"), QStringLiteral("Jon (on call)"),
                      QStringLiteral("--report-url"), url, QStringLiteral("--json")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QCOMPARE(c.json().value(QStringLiteral("owner")).toString(),
             QStringLiteral("Maya (retention)"));
    QCOMPARE(c.json().value(QStringLiteral("health_monitor")).toString(),
             QStringLiteral("Jon (on call)"));
    QCOMPARE(c.json().value(QStringLiteral("report_url")).toString(), url);
    c = lockstep({QStringLiteral("checklist"), QStringLiteral("--mapping"), QStringLiteral("1"),
                  QStringLiteral("--offline"), QStringLiteral("--json")});
    const QJsonObject items = c.json().value(QStringLiteral("items")).toObject();
    auto item = [&](const char* k) { return items.value(QLatin1String(k)).toObject(); };
    QVERIFY(item("segment_owner_set").value(QStringLiteral("done")).toBool());
    QCOMPARE(item("segment_owner_set").value(QStringLiteral("evidence")).toString(),
             QStringLiteral("Maya (retention)"));
    QVERIFY(item("health_monitor_set").value(QStringLiteral("done")).toBool());
    QVERIFY(item("reporting_plan_set").value(QStringLiteral("done")).toBool());
    QCOMPARE(item("reporting_plan_set").value(QStringLiteral("url")).toString(), url);
    // Too little history for a stability review: recorded with who and when, still open.
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("1"),
                  QStringLiteral("--stability-reviewed-by"), QStringLiteral("Maya")});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    QVERIFY2(c.out.contains("Maya reviewed") && c.out.contains("not stable enough yet"),
             c.out.constData());
    c = lockstep({QStringLiteral("status"), QStringLiteral("--json")});
    const QJsonObject stability = c.json()
                                      .value(QStringLiteral("mappings"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("checklist"))
                                      .toObject()
                                      .value(QStringLiteral("segment_stability_reviewed"))
                                      .toObject();
    QVERIFY(!stability.value(QStringLiteral("done")).toBool());
    QVERIFY2(stability.value(QStringLiteral("evidence"))
                 .toString()
                 .contains(QStringLiteral("reviewed by Maya")),
             qPrintable(stability.value(QStringLiteral("evidence")).toString()));
    c = lockstep({QStringLiteral("audit"), QStringLiteral("--format"), QStringLiteral("json")});
    const QJsonObject audited = c.json()
                                    .value(QStringLiteral("checklists"))
                                    .toArray()
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("items"))
                                    .toObject();
    QCOMPARE(audited.size(), 10);
    QCOMPARE(audited.value(QStringLiteral("reporting_plan_set"))
                 .toObject()
                 .value(QStringLiteral("url"))
                 .toString(),
             url);

    // Bad input is refused and changes nothing.
    for (const QStringList& bad :
         {QStringList{QStringLiteral("--report-url"), QStringLiteral("javascript:alert(1)")},
          QStringList{QStringLiteral("--report-url"),
                      QStringLiteral("https://user:secret@mixpanel.com/x")},
          QStringList{QStringLiteral("--stability-reviewed-by"), QStringLiteral(" ")},
          QStringList{QStringLiteral("--owner"), QStringLiteral("a"),
                      QStringLiteral("--segment-owner"), QStringLiteral("b")},
          QStringList{}}) {
        c = lockstep(
            QStringList{QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("1")} +
            bad);
        QVERIFY2(c.exitCode == 2, qPrintable(bad.join(QLatin1Char(' '))));
        QVERIFY(!c.err.isEmpty());
        QVERIFY(!c.err.contains("secret"));
    }
    QCOMPARE(lockstep({QStringLiteral("mapping"), QStringLiteral("set"), QStringLiteral("99"),
                       QStringLiteral("--health-monitor"), QStringLiteral("x")})
                 .exitCode,
             2);
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonObject m = QJsonDocument::fromJson(c.out).array().first().toObject();
    QCOMPARE(m.value(QStringLiteral("report_url")).toString(), url);
    QCOMPARE(m.value(QStringLiteral("owner")).toString(), QStringLiteral("Maya (retention)"));

    // `mapping add` takes them too.
    c = lockstep({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                  QStringLiteral("2"), QStringLiteral("--cohort"), QStringLiteral("CIO | B | 7d"),
                  QStringLiteral("--identity"), QStringLiteral("id"),
                  QStringLiteral("--segment-owner"), QStringLiteral("A"),
                  QStringLiteral("--health-monitor"), QStringLiteral("B"),
                  QStringLiteral("--report-url"), url});
    QVERIFY2(c.exitCode == 0, c.err.constData());
    const QString added = QString::fromUtf8(c.out.trimmed());
    c = lockstep({QStringLiteral("checklist"), QStringLiteral("--mapping"), added,
                  QStringLiteral("--offline"), QStringLiteral("--json")});
    const QJsonObject addedItems = c.json().value(QStringLiteral("items")).toObject();
    for (const char* k : {"segment_owner_set", "health_monitor_set", "reporting_plan_set"})
        QVERIFY2(
            addedItems.value(QLatin1String(k)).toObject().value(QStringLiteral("done")).toBool(),
            k);
}

QTEST_GUILESS_MAIN(TestTrustCli)
#include "tst_trust_cli.moc"
