// Overlap compares people, not keys, against the demo scenario: the demo's cohorts are
// keyed by e-mail (Winback, Cart abandoners, Suppressed) and by id (VIP), so by Mixpanel
// key VIP shares nobody with the others. The heat map's person view must equal the
// overlap computed from the sandbox's own state, every cell: a person is in a cohort
// when the key the mapping sends for them holds the cohort's value in the sandbox's
// Mixpanel, and people are told apart by cio_id. The key view stays available, labelled,
// and the page notes where the two differ. A watched pair across key kinds (VIP and
// Winback) raises its alert.
#include "clirunner.h"
#include "demoworkspace.h"

#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "health/alert.h"
#include "lockstepresources.h"
#include "modelroles.h"
#include "overlapmodel.h"
#include "overlappage.h"

#include <QComboBox>
#include <QDeadlineTimer>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace lockstep;

namespace {
constexpr int kWaitMs = 60'000;
}

class TestOverlapPeople : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void heatMapEqualsTheSandboxByPerson();
    void keyViewIsLabelledAndTheDifferenceNoted();
    void watchedPairAcrossKeyKindsAlerts();

private:
    OverlapData loadOverlap();
    // The cio_ids of the segment's members whose key (as the mapping normalises it) holds
    // the cohort's value in the sandbox's Mixpanel.
    QSet<QString> peopleOf(const test::DemoMapping& m);

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QHash<qint64, test::DemoMapping> m_demo;
    EngineContext m_context;
    std::unique_ptr<SyncController> m_controller;
    QList<qint64> m_segments = {101, 102, 103, 104}; // keyed by e-mail and by id
};

QSet<QString> TestOverlapPeople::peopleOf(const test::DemoMapping& m)
{
    const QStringList holders = test::holdersOf(*m_sandbox, m.mapping);
    const QSet<QString> held(holders.begin(), holders.end());
    QSet<QString> out;
    for (const QJsonValue& v : m_sandbox->segmentMembers(int(m.mapping.segmentId))) {
        const QJsonObject p = v.toObject();
        const QJsonValue raw =
            p.value(m.mapping.identity == IdentityKey::Email ? QStringLiteral("email")
                                                             : QStringLiteral("id"));
        if (!raw.isString())
            continue;
        // Mixpanel keys as the mapping sends them: e-mails trimmed and lower-cased.
        QString key = raw.toString().trimmed();
        if (m.mapping.identity == IdentityKey::Email)
            key = key.toLower();
        if (held.contains(key))
            out.insert(p.value(QStringLiteral("cio_id")).toString());
    }
    return out;
}

OverlapData TestOverlapPeople::loadOverlap()
{
    std::optional<OverlapData> answer;
    QObject receiver;
    m_controller->health()->loadOverlap().then(&receiver,
                                               [&](const OverlapData& d) { answer = d; });
    QDeadlineTimer deadline(kWaitMs);
    while (!answer && !deadline.hasExpired())
        QTest::qWait(20);
    return answer.value_or(OverlapData());
}

void TestOverlapPeople::initTestCase()
{
    QVERIFY(installTranslations());
    m_sandbox = std::make_unique<test::SandboxProcess>(QStringLiteral("demo.json"));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("demo.sqlite"));
    m_demo = test::seedDemoWorkspace(m_path, *m_sandbox);
    for (qint64 s : m_segments)
        QVERIFY(m_demo.contains(s));
    const test::CliRun r = test::runCli(m_path, {QStringLiteral("sync"), QStringLiteral("--all")},
                                        test::demoEnvironment(*m_sandbox));
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    m_controller = std::make_unique<SyncController>(m_context, m_path,
                                                    Credentials{m_sandbox->appApiKey(),
                                                                m_sandbox->projectToken(),
                                                                m_sandbox->serviceAccount()});
    m_controller->start();
}

void TestOverlapPeople::cleanupTestCase()
{
    m_controller.reset();
    m_sandbox.reset();
}

void TestOverlapPeople::heatMapEqualsTheSandboxByPerson()
{
    OverlapModel model;
    model.setOverlap(loadOverlap());
    QCOMPARE(model.view(), OverlapModel::View::People); // the default
    QVERIFY(model.rowCount() >= m_segments.size());
    QHash<qint64, QSet<QString>> people;
    for (qint64 s : m_segments) {
        people.insert(s, peopleOf(m_demo.value(s)));
        QVERIFY2(people.value(s).size() > 100, qPrintable(QString::number(s)));
    }
    // Every cell of these cohorts, the diagonal (sizes) included.
    int cells = 0;
    for (qint64 a : m_segments)
        for (qint64 b : m_segments) {
            const int row = model.indexOf(m_demo.value(a).id);
            const int column = model.indexOf(m_demo.value(b).id);
            QVERIFY(row >= 0 && column >= 0);
            const qint64 expected = (people.value(a) & people.value(b)).size();
            const OverlapStats s = model.stats(row, column);
            QVERIFY2(qint64(s.intersection) == expected,
                     qPrintable(QStringLiteral("segments %1 and %2: heat map %3, sandbox %4")
                                    .arg(a)
                                    .arg(b)
                                    .arg(s.intersection)
                                    .arg(expected)));
            QCOMPARE(qint64(s.sizeA), qint64(people.value(a).size()));
            const double share =
                people.value(a).isEmpty() ? 0.0 : double(expected) / double(people.value(a).size());
            QCOMPARE(model.index(row, column).data(ValueRole).toDouble(), share);
            ++cells;
        }
    QCOMPARE(cells, 16);
    // The demo's VIP segment overlaps Winback on purpose: by person they share people.
    QVERIFY((people.value(101) & people.value(102)).size() > 20);
}

void TestOverlapPeople::keyViewIsLabelledAndTheDifferenceNoted()
{
    OverlapPage page(m_controller.get());
    page.show();
    page.requestReload(); // what the main window asks of a page it shows
    QTRY_VERIFY_WITH_TIMEOUT(page.model()->rowCount() >= m_segments.size(), kWaitMs);
    const qint64 vip = m_demo.value(102).id, winback = m_demo.value(101).id;

    // By key, id-keyed VIP and e-mail-keyed Winback share nothing.
    auto* countBy = page.findChild<QComboBox*>(QStringLiteral("overlapCountBy"));
    QVERIFY(countBy);
    QCOMPARE(countBy->count(), 2);
    QVERIFY(countBy->itemText(1).contains(QStringLiteral("Mixpanel keys")));
    countBy->setCurrentIndex(1);
    QCOMPARE(page.model()->view(), OverlapModel::View::Keys);
    const OverlapStats byKey =
        page.model()->stats(page.model()->indexOf(vip), page.model()->indexOf(winback));
    QCOMPARE(byKey.intersection, 0u);
    countBy->setCurrentIndex(0);
    const OverlapStats byPerson =
        page.model()->stats(page.model()->indexOf(vip), page.model()->indexOf(winback));
    QVERIFY(byPerson.intersection > 0);

    // The note says where they differ, naming the pair with the biggest difference.
    const QList<OverlapModel::Difference> diff = page.model()->differences();
    QVERIFY(!diff.isEmpty());
    auto* note = page.findChild<QLabel*>(QStringLiteral("overlapNote"));
    QVERIFY(note && !note->isHidden());
    QVERIFY2(note->text().contains(QStringLiteral("overlap differently than by Mixpanel key")),
             qPrintable(note->text()));
    bool vipWinback = false;
    for (const OverlapModel::Difference& d : diff)
        vipWinback |=
            (d.mappingA == std::min(vip, winback) || d.mappingB == std::min(vip, winback)) &&
            (d.mappingA == std::max(vip, winback) || d.mappingB == std::max(vip, winback)) &&
            d.byKey == 0 && d.byPerson == byPerson.intersection;
    QVERIFY(vipWinback);
}

void TestOverlapPeople::watchedPairAcrossKeyKindsAlerts()
{
    const qint64 vip = m_demo.value(102).id, winback = m_demo.value(101).id;
    const qint64 shared = (peopleOf(m_demo.value(101)) & peopleOf(m_demo.value(102))).size();
    QVERIFY(shared > 0);
    WatchedPair p;
    p.mappingA = vip;
    p.mappingB = winback;
    p.label = QStringLiteral("VIP get no winback");
    std::optional<HealthEvaluation> evaluation;
    QObject receiver;
    m_controller->health()->addWatchedPair(p);
    m_controller->health()->evaluate().then(&receiver,
                                            [&](const HealthEvaluation& e) { evaluation = e; });
    QTRY_VERIFY_WITH_TIMEOUT(evaluation.has_value(), kWaitMs);
    const QList<Alert> open = evaluation->open;
    const QString subject = p.subject();
    const auto alert = std::find_if(open.begin(), open.end(), [&](const Alert& a) {
        return a.rule == QLatin1String("watched_overlap") && a.subject == subject;
    });
    QVERIFY2(alert != open.end(), "no watched_overlap alert for VIP and Winback");
    QCOMPARE(alert->severity, AlertSeverity::Critical);
    QCOMPARE(qint64(alert->value), shared);
    QVERIFY2(alert->message.contains(QStringLiteral("%1 people are in both")
                                         .arg(QLocale(QLocale::English).toString(shared))),
             qPrintable(alert->message));
    // The runner's path judges the same: `status` lists it.
    const test::CliRun st =
        test::runCli(m_path, {QStringLiteral("status"), QStringLiteral("--json")},
                     test::demoEnvironment(*m_sandbox));
    QVERIFY(st.out.contains("watched_overlap"));
}

QTEST_MAIN(TestOverlapPeople)
#include "tst_overlap_people.moc"
