// Over-exporting in the audit: a finding for two cohorts whose latest snapshots hold
// near-identical members (Jaccard at least 0.9, by Customer.io person where both have
// their people recorded, else by Mixpanel key), and a note when more than 10 mappings are
// active. Over a real workspace (both stores' code path: SnapshotStore, SnapshotPeople).
#include "store/mappingrepository.h"
#include "store/snapshotpeople.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "trust/workspaceaudit.h"
#include "util/clock.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;

namespace {
QStringList range(const QString& prefix, int from, int to)
{
    QStringList out;
    for (int i = from; i < to; ++i)
        out << prefix + QString::number(i);
    return out;
}

MemberSet setOf(const QStringList& keys)
{
    MemberSet s;
    for (const QString& k : keys)
        s.add(k.toStdString());
    s.finalize();
    return s;
}
} // namespace

class TestOverExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void nearIdenticalCohorts_data();
    void nearIdenticalCohorts();
    void manyActiveMappings_data();
    void manyActiveMappings();

private:
    // A mapping whose snapshot holds `keys` and (unless null) whose people are `people`.
    qint64 addCohort(const QString& name, IdentityKey identity, const QStringList& keys,
                     const std::optional<QStringList>& people, bool paused = false);
    QList<AuditFinding> findings(const char* code);

    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    int m_segment = 100;
};

void TestOverExport::init()
{
    m_ws.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("ws.sqlite")));
    auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws.sqlite")));
    QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().toString()));
    m_ws = std::move(*ws);
}

qint64 TestOverExport::addCohort(const QString& name, IdentityKey identity, const QStringList& keys,
                                 const std::optional<QStringList>& people, bool paused)
{
    Mapping m;
    m.segmentId = ++m_segment;
    m.cohortName = name;
    m.identity = identity;
    m.owner = QStringLiteral("maya");
    m.decision = QStringLiteral("a play");
    m.paused = paused;
    auto id = MappingRepository(*m_ws).add(m);
    if (!id)
        return 0;
    if (!SnapshotStore(*m_ws).compactTo(*id, setOf(keys)))
        return 0;
    if (people && !SnapshotPeople(*m_ws).write(*id, 1, people->join(QLatin1Char('\n')).toUtf8()))
        return 0;
    return *id;
}

QList<AuditFinding> TestOverExport::findings(const char* code)
{
    auto report = auditWorkspace(*m_ws, ChecklistRules{}, *Clock::system());
    QList<AuditFinding> out;
    if (!report)
        return out;
    for (const AuditFinding& f : report->findings)
        if (f.code == QLatin1String(code))
            out.append(f);
    return out;
}

void TestOverExport::nearIdenticalCohorts_data()
{
    QTest::addColumn<int>("keysA"); // 0..n of "a" keys
    QTest::addColumn<int>("keysB"); // of "b" keys ("a" when shareKeys)
    QTest::addColumn<bool>("shareKeys");
    QTest::addColumn<int>("peopleA"); // cio 0..n; -1: no people recorded
    QTest::addColumn<int>("peopleB");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("says");

    // Keyed differently (id and e-mail) but the same people: by key nothing is shared.
    QTest::newRow("twins keyed by id and e-mail")
        << 100 << 100 << false << 100 << 100 << true
        << QStringLiteral("near-identical people (Jaccard 1.000: 100 shared of 100 and 100)");
    QTest::newRow("Jaccard exactly 0.9")
        << 100 << 90 << false << 100 << 90 << true << QStringLiteral("Jaccard 0.900");
    QTest::newRow("Jaccard 0.89: not found")
        << 100 << 89 << false << 100 << 89 << false << QString();
    QTest::newRow("the same keys, different people: by person, not found")
        << 100 << 100 << true << 100 << -2 << false << QString();
    QTest::newRow("no people recorded: by key")
        << 100 << 95 << true << -1 << -1 << true
        << QStringLiteral("near-identical members (Jaccard 0.950");
    QTest::newRow("one without people: by key")
        << 100 << 100 << false << 100 << -1 << false << QString();
    QTest::newRow("empty cohorts are not over-exporting")
        << 0 << 0 << true << 0 << 0 << false << QString();
}

void TestOverExport::nearIdenticalCohorts()
{
    QFETCH(int, keysA);
    QFETCH(int, keysB);
    QFETCH(bool, shareKeys);
    QFETCH(int, peopleA);
    QFETCH(int, peopleB);
    const auto people = [](int n) -> std::optional<QStringList> {
        if (n == -1)
            return std::nullopt;
        if (n == -2)
            return range(QStringLiteral("other"), 0, 100); // somebody else entirely
        return range(QStringLiteral("cio"), 0, n);
    };
    const qint64 a = addCohort(QStringLiteral("CIO | Winback | 30d"), IdentityKey::Email,
                               range(QStringLiteral("a"), 0, keysA), people(peopleA));
    const qint64 b = addCohort(
        QStringLiteral("CIO | Lapsed | 30d"), shareKeys ? IdentityKey::Email : IdentityKey::Id,
        range(shareKeys ? QStringLiteral("a") : QStringLiteral("b"), 0, keysB), people(peopleB));
    QVERIFY(a > 0 && b > 0);
    const QList<AuditFinding> list = findings(finding::kNearIdenticalCohorts);
    QFETCH(bool, found);
    QCOMPARE(list.size(), found ? 1 : 0);
    if (list.isEmpty())
        return;
    QFETCH(QString, says);
    QCOMPARE(list[0].mappingId, a);
    QCOMPARE(list[0].relatedMappingId, b);
    QCOMPARE(list[0].severity, FindingSeverity::Warning);
    QVERIFY2(list[0].message.contains(says), qPrintable(list[0].message));
}

void TestOverExport::manyActiveMappings_data()
{
    QTest::addColumn<int>("active");
    QTest::addColumn<int>("paused");
    QTest::addColumn<bool>("noted");
    QTest::newRow("10 active") << 10 << 0 << false;
    QTest::newRow("10 active, 3 paused") << 10 << 3 << false;
    QTest::newRow("11 active") << 11 << 0 << true;
}

void TestOverExport::manyActiveMappings()
{
    QFETCH(int, active);
    QFETCH(int, paused);
    // Disjoint cohorts: only the count is judged here.
    for (int i = 0; i < active + paused; ++i)
        QVERIFY(addCohort(QStringLiteral("CIO | Play %1 | 30d").arg(i), IdentityKey::CioId,
                          range(QStringLiteral("p%1-").arg(i), 0, 10), std::nullopt,
                          i >= active) > 0);
    const QList<AuditFinding> notes = findings(finding::kManyMappings);
    QFETCH(bool, noted);
    QCOMPARE(notes.size(), noted ? 1 : 0);
    if (noted) {
        QCOMPARE(notes[0].severity, FindingSeverity::Info);
        QCOMPARE(notes[0].mappingId, 0);
        QVERIFY2(
            notes[0].message.contains(QStringLiteral("%1 mappings are active").arg(active)) &&
                notes[0].message.contains(QStringLiteral("start with 5–10 that map to core plays")),
            qPrintable(notes[0].message));
    }
    QVERIFY(findings(finding::kNearIdenticalCohorts).isEmpty());
}

QTEST_GUILESS_MAIN(TestOverExport)
#include "tst_overexport.moc"
