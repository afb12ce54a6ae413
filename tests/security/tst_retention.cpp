// What Lockstep keeps about people, and how it lets go: a deleted mapping takes its
// members with it, stored checks keep counts and reasons, `purge --person` removes one
// person from every table, and (SQLite) no deleted byte is left in the files. Runs on both
// stores (tst_retention_pg); the file searches are SQLite's, PostgreSQL's rows are read back.
#include "clirunner.h"
#include "sandboxprocess.h"
#include "testdatabase.h"

#include "store/heldexits.h"
#include "store/mappingrepository.h"
#include "store/mismatchrepository.h"
#include "store/retention.h"
#include "store/runrepository.h"
#include "store/snapshotpeople.h"
#include "store/snapshotstore.h"
#include "store/workspace.h"
#include "trust/trustrecords.h"
#include "trust/truststore.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using lockstep::test::CliRun;
using lockstep::test::runCli;
using lockstep::test::SandboxProcess;
using lockstep::test::TestDatabase;

namespace {

MemberSet setOf(const QStringList& keys)
{
    MemberSet set;
    for (const QString& k : keys)
        set.add(k.toStdString());
    set.finalize();
    return set;
}

IdentityMismatch mismatch(MismatchReason reason, const QString& cioId, const QString& id,
                          const QString& email, const QString& key)
{
    IdentityMismatch m;
    m.reason = reason;
    m.cioId = cioId;
    m.personId = id;
    m.email = email;
    m.distinctId = key;
    return m;
}

// `needle` anywhere in `bytes`, ASCII case ignored. The identifiers below are chosen so that
// none is part of another.
bool containsToken(const QByteArray& bytes, const QByteArray& needle)
{
    return bytes.toLower().contains(needle.toLower());
}

// Every byte of a SQLite workspace: the file and its -wal and -shm.
QByteArray fileBytes(const QString& path)
{
    QByteArray all;
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile f(path + suffix);
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

// Every value of every row of the workspace's tables, as text: where the rows of
// PostgreSQL are searched (its files are the server's).
QByteArray rowBytes(Workspace& ws)
{
    QByteArray all;
    for (const QString& table : ws.db().tables()) {
        QSqlQuery q(ws.db());
        if (!q.exec(QStringLiteral("SELECT * FROM %1").arg(table)))
            continue;
        while (q.next())
            for (int c = 0; c < q.record().count(); ++c)
                all += q.value(c).toByteArray() + '\n';
    }
    return all;
}

// Where a person could be found in the workspace: the files (SQLite) or the rows.
QByteArray everything(const QString& location)
{
    if (!TestDatabase::usingPostgres())
        return fileBytes(location);
    auto ws = Workspace::open(location);
    return ws ? rowBytes(**ws) : QByteArray();
}

// A hold of the mass-exit safeguard with these keys (sorted, as a run writes them).
HeldExits heldOf(qint64 mappingId, qint64 runId, const QStringList& keys)
{
    HeldExits h;
    h.mappingId = mappingId;
    h.runId = runId;
    h.heldAtMs = 1500;
    h.reason = QStringLiteral("share");
    h.lastSize = 10;
    h.segmentCount = 10 - keys.size();
    h.exitCount = keys.size();
    h.sharePercent = 30;
    QStringList sorted = keys;
    sorted.sort();
    h.keys = sorted.join(QLatin1Char('\n')).toUtf8();
    return h;
}

qint64 count(Workspace& ws, const QString& sql, qint64 mappingId)
{
    QSqlQuery q = ws.query(sql);
    q.addBindValue(mappingId);
    if (!Workspace::exec(q, "test count").ok() || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestRetention : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void searchFindsAPlantedKey();
    void deletingAMappingForgetsItsMembers();
    void purgeReachesEveryTable();
    void storedChecksKeepNoIdentifiers();
    void migrationForgetsWhatIsNoLongerKept();
    void purgeCommandLeavesNoTrace();
    void purgeCommandUsage_data();
    void purgeCommandUsage();
};

void TestRetention::searchFindsAPlantedKey()
{
    // The searches below can fail: a key in a stored snapshot is found.
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | A | 30d");
        const qint64 id = *MappingRepository(**ws).add(m);
        QVERIFY(SnapshotStore(**ws)
                    .compactTo(
                        id, setOf({QStringLiteral("planted@x.test"), QStringLiteral("pp-12345")}))
                    .ok());
    }
    const QByteArray bytes = everything(location);
    QVERIFY(containsToken(bytes, "Planted@X.test"));
    QVERIFY(containsToken(bytes, "pp-12345"));
    QVERIFY(!containsToken(bytes, "pp-99999"));
}

void TestRetention::deletingAMappingForgetsItsMembers()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    qint64 gone = 0, kept = 0, run = 0;
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | Gone | 30d");
        gone = *MappingRepository(**ws).add(m);
        m.segmentId = 2;
        m.cohortName = QStringLiteral("CIO | Kept | 30d");
        kept = *MappingRepository(**ws).add(m);
        for (const qint64 id : {gone, kept}) {
            const QString p = id == gone ? QStringLiteral("gone") : QStringLiteral("kept");
            auto r = RunRepository(**ws).begin(id, RunKind::Incremental, 1000);
            QVERIFY(r);
            run = *r;
            QVERIFY(SnapshotStore(**ws)
                        .compactTo(id, setOf({p + QStringLiteral("-a@x.test"),
                                              p + QStringLiteral("-b@x.test")}))
                        .ok());
            JournalBatch b;
            b.seq = 1;
            b.keys = (p + QStringLiteral("-c@x.test")).toUtf8();
            b.size = 1;
            QVERIFY(SnapshotStore(**ws).plan(run, id, {b}).ok());
            // The people behind the snapshot, and exits the mass-exit safeguard held.
            QVERIFY(SnapshotPeople(**ws)
                        .write(id, run, (p + QStringLiteral("-cio-a\n") + p + "-cio-b").toUtf8())
                        .ok());
            QVERIFY(HeldExitStore(**ws).hold(heldOf(id, run, {p + QStringLiteral("-h@x.test")})));
            QVERIFY(
                MismatchRepository(**ws)
                    .replace(id, run,
                             {mismatch(MismatchReason::DuplicateKey, p + QStringLiteral("-cio-d"),
                                       p + QStringLiteral("-id"), p + QStringLiteral("-d@x.test"),
                                       p + QStringLiteral("-d@x.test"))})
                    .ok());
            QVERIFY(MismatchRepository(**ws)
                        .recordVerified(id, run, {p + QStringLiteral("-e@x.test")},
                                        {mismatch(MismatchReason::UnknownToMixpanel,
                                                  p + QStringLiteral("-cio-e"), QString(),
                                                  p + QStringLiteral("-e@x.test"),
                                                  p + QStringLiteral("-e@x.test"))})
                        .ok());
            RunRecord rec;
            rec.id = run;
            rec.mappingId = id;
            rec.status = RunStatus::Succeeded;
            rec.finishedAtMs = 2000;
            rec.segmentCount = 2;
            rec.entered = 2;
            QVERIFY(RunRepository(**ws).finish(rec).ok());
        }
        const QByteArray before = everything(location);
        for (const char* key : {"gone-a@x.test", "gone-c@x.test", "gone-d@x.test", "gone-cio-d",
                                "gone-cio-e", "gone-cio-a", "gone-h@x.test"})
            QVERIFY2(containsToken(before, key), key);

        QVERIFY(MappingRepository(**ws).remove(gone).ok());
        for (const char* table : {"snapshot_keys", "snapshot_meta", "snapshot_people",
                                  "journal_batches", "held_exits", "mismatches", "mismatch_sets"})
            QCOMPARE(count(**ws,
                           QStringLiteral("SELECT COUNT(*) FROM %1 WHERE mapping_id=?")
                               .arg(QLatin1String(table)),
                           gone),
                     0);
        // Runs and size points stay, as counts.
        QCOMPARE(count(**ws, QStringLiteral("SELECT COUNT(*) FROM runs WHERE mapping_id=?"), gone),
                 1);
        QCOMPARE(count(**ws, QStringLiteral("SELECT COUNT(*) FROM size_points WHERE mapping_id=?"),
                       gone),
                 1);
        QCOMPARE(SnapshotStore(**ws).load(kept)->size(), size_t(2));
        QCOMPARE(MismatchRepository(**ws).list(kept)->size(), 2);
        QVERIFY(SnapshotPeople(**ws).load(kept)->has_value());
        QVERIFY(HeldExitStore(**ws).pending(kept)->has_value());
        // Deleting it again: no such mapping.
        QCOMPARE(MappingRepository(**ws).remove(gone).error().category,
                 SyncError::Category::NotFound);
    }
    const QByteArray after = everything(location);
    for (const char* key :
         {"gone-a@x.test", "gone-b@x.test", "gone-c@x.test", "gone-d@x.test", "gone-id",
          "gone-cio-d", "gone-e@x.test", "gone-cio-e", "gone-cio-a", "gone-cio-b", "gone-h@x.test"})
        QVERIFY2(!containsToken(after, key), key);
    for (const char* key : {"kept-a@x.test", "kept-c@x.test", "kept-d@x.test", "kept-cio-e",
                            "kept-cio-a", "kept-h@x.test"})
        QVERIFY2(containsToken(after, key), key);
}

void TestRetention::purgeReachesEveryTable()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | By email | 30d");
        const qint64 byEmail = *MappingRepository(**ws).add(m);
        m.segmentId = 2;
        m.cohortName = QStringLiteral("CIO | By id | 30d");
        m.identity = IdentityKey::Id;
        m.owner = QStringLiteral("pat.doe@example.test"); // an operator can be a person too
        const qint64 byId = *MappingRepository(**ws).add(m);

        const qint64 run1 = *RunRepository(**ws).begin(byEmail, RunKind::Full, 1000);
        const qint64 run2 = *RunRepository(**ws).begin(byId, RunKind::Full, 1000);
        // Pat is in both snapshots, by e-mail (normalised) and by id; Quinn stays.
        QVERIFY(SnapshotStore(**ws)
                    .compactTo(byEmail, setOf({QStringLiteral("pat.doe@example.test"),
                                               QStringLiteral("quinn@example.test")}))
                    .ok());
        QVERIFY(SnapshotStore(**ws)
                    .compactTo(byId, setOf({QStringLiteral("pat-7781"), QStringLiteral("q-1")}))
                    .ok());
        JournalBatch only, shared;
        only.seq = 1;
        only.keys = "pat-7781";
        only.size = 1;
        shared.seq = 2;
        shared.keys = "pat-7781\nq-1";
        shared.size = 2;
        QVERIFY(SnapshotStore(**ws).plan(run2, byId, {only, shared}).ok());
        QVERIFY(
            SnapshotStore(**ws).fail(run2, 2, QStringLiteral("Mixpanel: pat-7781 refused")).ok());
        // The people behind the snapshots: Pat's cio_id by e-mail; the id-keyed list names
        // none of Pat's identifiers (which of its lines was Pat's cannot be told). A hold of
        // the mass-exit safeguard names Pat's id and Quinn's.
        QVERIFY(SnapshotPeople(**ws).write(byEmail, run1, "cio-q\ncio-pat").ok());
        QVERIFY(SnapshotPeople(**ws).write(byId, run2, "cio-unlinked-9\ncio-q").ok());
        QVERIFY(HeldExitStore(**ws).hold(
            heldOf(byId, run2, {QStringLiteral("pat-7781"), QStringLiteral("q-1")})));
        // The resolver saw Pat's e-mail spelled two ways: the row that links the e-mail to
        // Pat's id and cio_id. A placeholder id shared by many links no one.
        QVERIFY(
            MismatchRepository(**ws)
                .replace(
                    byEmail, run1,
                    {mismatch(MismatchReason::NormalisationCollision, QStringLiteral("cio-pat"),
                              QStringLiteral("pat-7781"), QStringLiteral("Pat.Doe@Example.test"),
                              QStringLiteral("pat.doe@example.test")),
                     mismatch(MismatchReason::PlaceholderId, QStringLiteral("cio-pat"),
                              QStringLiteral("0"), QStringLiteral("Pat.Doe@Example.test"),
                              QString()),
                     mismatch(MismatchReason::PlaceholderId, QStringLiteral("cio-z"),
                              QStringLiteral("0"), QStringLiteral("zed@example.test"), QString())})
                .ok());
        QVERIFY(
            MismatchRepository(**ws)
                .recordVerified(
                    byId, run2, {QStringLiteral("pat-7781"), QStringLiteral("q-1")},
                    {mismatch(MismatchReason::UnknownToMixpanel, QStringLiteral("cio-pat"),
                              QStringLiteral("pat-7781"), QString(), QStringLiteral("pat-7781")),
                     mismatch(MismatchReason::UnknownToMixpanel, QStringLiteral("cio-q"),
                              QStringLiteral("q-1"), QString(), QStringLiteral("q-1"))})
                .ok());
        RunRecord rec;
        rec.id = run2;
        rec.mappingId = byId;
        rec.status = RunStatus::Partial;
        rec.finishedAtMs = 2000;
        rec.message = QStringLiteral("1 batch failed: Mixpanel: PAT-7781 refused; run 77810 ok");
        QVERIFY(RunRepository(**ws).finish(rec).ok());
        TrustCheckRecord check;
        check.mappingId = byEmail;
        check.kind = QString::fromLatin1(trustkind::kSpotCheck);
        check.atMs = 3000;
        check.summary = QStringLiteral("checked Pat.Doe@Example.test by hand");
        check.result = QJsonObject{{QStringLiteral("note"), QStringLiteral("cio-pat")}};
        QVERIFY(TrustStore(**ws).record(check));

        auto counts = Retention(**ws).purgePerson({QStringLiteral("PAT.DOE@example.test")});
        QVERIFY2(counts, qPrintable(counts.error().toString()));
        QCOMPARE(counts->identifiers, 3); // the e-mail, and its row's id and cio_id
        QCOMPARE(counts->keys, 5);        // two snapshots, two journal batches, a hold
        QVERIFY(counts->filesCleared);
        QHash<QString, qint64> by;
        for (const auto& [table, rows] : counts->tables)
            by.insert(table, rows);
        QCOMPARE(by.value(QStringLiteral("snapshot_keys")), 2);
        QCOMPARE(by.value(QStringLiteral("journal_batches")), 2);
        QCOMPARE(by.value(QStringLiteral("mismatches")), 1);
        QCOMPARE(by.value(QStringLiteral("mismatch_sets")), 1);
        QCOMPARE(by.value(QStringLiteral("trust_checks")), 1);
        QCOMPARE(by.value(QStringLiteral("runs")), 1);
        QCOMPARE(by.value(QStringLiteral("mappings")), 1);
        QCOMPARE(by.value(QStringLiteral("snapshot_people")), 2);
        QCOMPARE(by.value(QStringLiteral("held_exits")), 1);
        QCOMPARE(counts->total(), 12);
        // Pat's line out of the e-mail list; the id-keyed list gone (written again by the
        // mapping's next settled run); the hold keeps Quinn, and its count follows.
        QCOMPARE(SnapshotPeople(**ws).load(byEmail)->value_or(QByteArray("<none>")),
                 QByteArray("cio-q"));
        QVERIFY(!SnapshotPeople(**ws).load(byId)->has_value());
        auto held = HeldExitStore(**ws).pending(byId, HeldExitStore::Keys::All);
        QVERIFY(held && *held);
        QCOMPARE((*held)->keys, QByteArray("q-1"));
        QCOMPARE((*held)->exitCount, 1);

        // Quinn, Zed and the counts are untouched; the snapshots load and count right.
        auto a = SnapshotStore(**ws).load(byEmail);
        QCOMPARE(a->size(), size_t(1));
        QCOMPARE(*SnapshotStore(**ws).count(byEmail), 1);
        auto b = SnapshotStore(**ws).load(byId);
        QCOMPARE(b->size(), size_t(1));
        QCOMPARE(count(**ws,
                       QStringLiteral("SELECT COUNT(*) FROM journal_batches WHERE mapping_id=?"),
                       byId),
                 1); // the batch of Pat alone is gone
        auto rows = MismatchRepository(**ws).list();
        QCOMPARE(rows->size(), 2); // Zed's placeholder row and Quinn's check
        auto runs = RunRepository(**ws).recent(10, byId);
        QCOMPARE(runs->first().message,
                 QStringLiteral("1 batch failed: Mixpanel: [erased] refused; run 77810 ok"));
        QCOMPARE(MappingRepository(**ws).get(byId)->owner, QStringLiteral("[erased]"));
    }
    const QByteArray after = everything(location);
    for (const char* id : {"pat.doe@example.test", "pat-7781", "cio-pat"})
        QVERIFY2(!containsToken(after, id), id);
    for (const char* id : {"quinn@example.test", "q-1", "zed@example.test", "cio-q"})
        QVERIFY2(containsToken(after, id), id);
}

void TestRetention::storedChecksKeepNoIdentifiers()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    QVERIFY2(ws, qPrintable(ws.error().toString()));
    RehearsalResult r;
    r.mappingId = 1;
    r.value = QStringLiteral("CIO | A [rehearsal 20260101-0000]");
    PersonCheck p;
    p.cioId = QStringLiteral("cio-1");
    p.personId = QStringLiteral("id-1");
    p.email = QStringLiteral("one@x.test");
    p.named = QStringLiteral("One@X.test");
    p.distinctId = QStringLiteral("one@x.test");
    p.inSegment = p.inMixpanel = p.hasValue = p.passed = true;
    p.detail = QStringLiteral("one@x.test read back");
    r.people = {p};
    r.unexpected = {QStringLiteral("stranger-9")};
    TrustCheckRecord rec;
    rec.mappingId = 1;
    rec.kind = QString::fromLatin1(trustkind::kRehearsal);
    rec.result = r.toJson();
    QVERIFY(TrustStore(**ws).record(rec));
    auto stored = TrustStore(**ws).latest(1, rec.kind);
    QVERIFY(stored && *stored);
    const QJsonObject o = (*stored)->result;
    const QByteArray text = QJsonDocument(o).toJson();
    for (const char* id : {"cio-1", "id-1", "one@x.test", "stranger-9"})
        QVERIFY2(!text.contains(id), text.constData());
    QCOMPARE(o.value(QStringLiteral("people")).toArray().first().toObject(),
             (QJsonObject{{QStringLiteral("in_segment"), true},
                          {QStringLiteral("in_snapshot"), false},
                          {QStringLiteral("in_mixpanel"), true},
                          {QStringLiteral("has_value"), true},
                          {QStringLiteral("passed"), true},
                          {QStringLiteral("reason"), QString()}}));
    QCOMPARE(o.value(QStringLiteral("unexpected_count")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("people_passed")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("value")).toString(), r.value);
}

// A workspace of an older version: checks stored with identifiers, and a deleted mapping's
// members, are gone after the migration; what the checklist reads stays.
void TestRetention::migrationForgetsWhatIsNoLongerKept()
{
    const QString location = TestDatabase::freshWorkspace(m_dir.path());
    qint64 gone = 0, kept = 0;
    {
        auto ws = Workspace::open(location);
        QVERIFY2(ws, qPrintable(ws.error().toString()));
        Mapping m;
        m.segmentId = 1;
        m.cohortName = QStringLiteral("CIO | Old | 30d");
        gone = *MappingRepository(**ws).add(m);
        kept = *MappingRepository(**ws).add(m);
        for (const qint64 id : {gone, kept})
            QVERIFY(SnapshotStore(**ws)
                        .compactTo(id, setOf({QStringLiteral("member-%1@x.test").arg(id)}))
                        .ok());
        QVERIFY(MismatchRepository(**ws)
                    .replace(gone, 1,
                             {mismatch(MismatchReason::MissingKey, QStringLiteral("cio-old"),
                                       QString(), QString(), QString())})
                    .ok());
        // As an older Lockstep left them: a soft-deleted mapping with its rows, and checks
        // with each person's identifiers.
        QSqlQuery d((*ws)->db());
        QVERIFY(d.exec(QStringLiteral("UPDATE mappings SET deleted=1 WHERE id=%1").arg(gone)));
        const QString rehearsal = QStringLiteral(
            R"({"value":"v","passed":false,"people_passed":1,"people":[{"cio_id":"cio-r1","id":"r-1","email":"r1@x.test","distinct_id":"r1@x.test","in_segment":true,"in_snapshot":false,"in_mixpanel":true,"has_value":true,"passed":true,"reason":"","detail":"r1@x.test ok"},{"cio_id":"cio-r2","id":null,"email":null,"distinct_id":"","named":"R2@x.test","in_segment":true,"in_snapshot":false,"in_mixpanel":false,"has_value":false,"passed":false,"reason":"identity_key_missing","detail":"no usable email"}],"unexpected":["stranger-1","stranger-2"],"fingerprint":{"identity":"email"}})");
        const QString spot = QStringLiteral(
            R"({"passed":true,"people":[{"cio_id":"cio-s1","id":"s-1","email":"s1@x.test","distinct_id":"s1@x.test","passed":true,"reason":""}]})");
        for (const auto& [kind, json] : {std::pair{QStringLiteral("rehearsal"), rehearsal},
                                         std::pair{QStringLiteral("spot_check"), spot},
                                         std::pair{QStringLiteral("cohort_definition"),
                                                   QStringLiteral(R"({"found":true})")}}) {
            QSqlQuery ins = (*ws)->query(
                QStringLiteral("INSERT INTO trust_checks (mapping_id, kind, at_ms, passed, "
                               "summary, result) VALUES (?, ?, 1, 0, 'x', ?)"));
            ins.addBindValue(kept);
            ins.addBindValue(kind);
            ins.addBindValue(json);
            QVERIFY(Workspace::exec(ins, "old check").ok());
        }
        // Back to schema 7: the later migrations' tables and columns go too.
        for (const char* sql :
             {"DROP INDEX mappings_by_key", "ALTER TABLE mappings DROP COLUMN mapping_key",
              "ALTER TABLE mappings DROP COLUMN revision",
              "ALTER TABLE mappings DROP COLUMN health_monitor",
              "ALTER TABLE mappings DROP COLUMN report_url",
              "ALTER TABLE mappings DROP COLUMN report_cohort", "DROP TABLE held_exits",
              "DROP TABLE snapshot_people", "ALTER TABLE mappings DROP COLUMN mass_exit_percent",
              "ALTER TABLE runs DROP COLUMN held_exits", "DROP TABLE notify_outbox",
              "DROP TABLE notify_channels", "DELETE FROM schema_version WHERE version >= 8"})
            QVERIFY2(d.exec(QString::fromLatin1(sql)), sql);
    }
    auto ws = Workspace::open(location);
    QVERIFY2(ws, qPrintable(ws.error().toString()));
    QVERIFY((*ws)->schemaVersion() >= 8);
    const QByteArray rows = rowBytes(**ws);
    for (const char* id : {"cio-r1", "r-1", "r1@x.test", "R2@x.test", "cio-r2", "stranger-1",
                           "s1@x.test", "cio-s1", "member-1@x.test", "cio-old"})
        QVERIFY2(!containsToken(rows, id), id);
    QVERIFY(containsToken(rows, "member-2@x.test"));
    auto r = TrustStore(**ws).latest(kept, QStringLiteral("rehearsal"));
    QVERIFY(r && *r);
    const QJsonObject o = (*r)->result;
    QCOMPARE(o.value(QStringLiteral("unexpected_count")).toInt(), 2);
    QVERIFY(!o.contains(QStringLiteral("unexpected")));
    QCOMPARE(o.value(QStringLiteral("people_passed")).toInt(), 1);
    QCOMPARE(o.value(QStringLiteral("fingerprint")).toObject(),
             (QJsonObject{{QStringLiteral("identity"), QStringLiteral("email")}}));
    const QJsonArray people = o.value(QStringLiteral("people")).toArray();
    QCOMPARE(people.size(), 2);
    QCOMPARE(people[1].toObject(),
             (QJsonObject{{QStringLiteral("in_segment"), true},
                          {QStringLiteral("in_snapshot"), false},
                          {QStringLiteral("in_mixpanel"), false},
                          {QStringLiteral("has_value"), false},
                          {QStringLiteral("passed"), false},
                          {QStringLiteral("reason"), QStringLiteral("identity_key_missing")}}));
    auto c = TrustStore(**ws).latest(kept, QStringLiteral("cohort_definition"));
    QCOMPARE((*c)->result, (QJsonObject{{QStringLiteral("found"), true}}));
}

// The command, end to end: a real sync puts Pat in two snapshots (by e-mail and by id), a
// spot check names Pat; `purge --person` takes Pat out and the workspace holds no trace.
// Then deleting a mapping takes its members' keys out of the file.
void TestRetention::purgeCommandLeavesNoTrace()
{
    const QJsonObject scenario{
        {QStringLiteral("seed"), 5},
        // Profiles keyed by e-mail: the id mapping's entries are unknown to Mixpanel, so its
        // check rows name Pat and Quinn too.
        {QStringLiteral("mixpanel"),
         QJsonObject{{QStringLiteral("query_limit_per_hour"), 600},
                     {QStringLiteral("existing_profile_share"), 1.0},
                     {QStringLiteral("existing_profile_key"), QStringLiteral("email")}}},
        {QStringLiteral("population"), QJsonObject{{QStringLiteral("size"), 40}}},
        {QStringLiteral("people"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("pat-7781")},
                                {QStringLiteral("email"), QStringLiteral("Pat.Doe@Example.test")},
                                {QStringLiteral("cio_id"), QStringLiteral("cio-pd")}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("quinn-5512")},
                                {QStringLiteral("email"), QStringLiteral("quinn.roe@example.test")},
                                {QStringLiteral("cio_id"), QStringLiteral("cio-qr")}}}},
        {QStringLiteral("segments"),
         QJsonArray{
             QJsonObject{{QStringLiteral("id"), 1},
                         {QStringLiteral("name"), QStringLiteral("Both")},
                         {QStringLiteral("members"),
                          QJsonArray{QStringLiteral("cio-pd"), QStringLiteral("cio-qr")}}}}}};
    SandboxProcess sandbox(scenario);
    QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LOCKSTEP_CUSTOMERIO_APP_API_KEY"), sandbox.appApiKey());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_PROJECT_TOKEN"), sandbox.projectToken());
    env.insert(QStringLiteral("LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT"), sandbox.serviceAccount());
    const QString ws = TestDatabase::freshWorkspace(m_dir.path());
    auto cli = [&](const QStringList& args) { return runCli(ws, args, env); };
    CliRun r = cli({QStringLiteral("connect"), QStringLiteral("--customerio-url"),
                    sandbox.customerIo().toString(), QStringLiteral("--mixpanel-url"),
                    sandbox.mixpanel().toString(), QStringLiteral("--mixpanel-query-url"),
                    sandbox.mixpanelQuery().toString(), QStringLiteral("--project-id"),
                    QString::number(sandbox.projectId())});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    for (const char* identity : {"email", "id"}) {
        r = cli({QStringLiteral("mapping"), QStringLiteral("add"), QStringLiteral("--segment"),
                 QStringLiteral("1"), QStringLiteral("--cohort"),
                 QStringLiteral("CIO | By %1 | 30d").arg(QLatin1String(identity)),
                 QStringLiteral("--identity"), QLatin1String(identity)});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    r = cli({QStringLiteral("sync"), QStringLiteral("--all")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    r = cli({QStringLiteral("spot-check"), QStringLiteral("--mapping"), QStringLiteral("1"),
             QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--person"),
             QStringLiteral("Pat.Doe@Example.test"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0 || r.exitCode == 1, r.err.constData());
    QVERIFY2(r.out.contains("pat.doe@example.test"), r.out.constData()); // shown once
    QByteArray before = everything(ws);
    for (const char* id : {"pat.doe@example.test", "pat-7781", "quinn-5512"})
        QVERIFY2(containsToken(before, id), id);

    r = cli({QStringLiteral("purge"), QStringLiteral("--person"),
             QStringLiteral("Pat.Doe@Example.test"), QStringLiteral("--person"),
             QStringLiteral("pat-7781"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("tables"))
                 .toObject()
                 .value(QStringLiteral("snapshot_keys"))
                 .toInteger(),
             2);
    QVERIFY(o.value(QStringLiteral("keys")).toInteger() >= 2);
    QVERIFY(o.value(QStringLiteral("files_cleared")).toBool());
    QVERIFY2(!r.out.contains("pat"), r.out.constData()); // the output names no one
    const QByteArray after = everything(ws);
    for (const char* id : {"pat.doe@example.test", "pat-7781", "cio-pd"})
        QVERIFY2(!containsToken(after, id), id);
    QVERIFY(containsToken(after, "quinn.roe@example.test"));

    // The text form: counts per table.
    r = cli({QStringLiteral("purge"), QStringLiteral("--person"), QStringLiteral("nobody@x.test")});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("purged 0 rows") && r.out.contains("  snapshot_keys: 0"),
             r.out.constData());

    // Deleting the id mapping takes Quinn's id out of the workspace (the e-mail mapping
    // keeps Quinn's e-mail).
    {
        auto w = Workspace::open(ws);
        QVERIFY2(w, qPrintable(w.error().toString()));
        QVERIFY(MappingRepository(**w).remove(2).ok());
    }
    const QByteArray deleted = everything(ws);
    QVERIFY(!containsToken(deleted, "quinn-5512"));
    QVERIFY(containsToken(deleted, "quinn.roe@example.test"));
}

void TestRetention::purgeCommandUsage_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no --person") << QStringList{QStringLiteral("purge")}
                                 << QStringLiteral("purge needs --person ID_OR_EMAIL");
    QTest::newRow("empty") << QStringList{QStringLiteral("purge"), QStringLiteral("--person="),
                                          QStringLiteral("--json")}
                           << QStringLiteral("--person needs an id or an e-mail");
    QTest::newRow("no value") << QStringList{QStringLiteral("purge"), QStringLiteral("--person")}
                              << QStringLiteral("--person needs a value");
    QTest::newRow("unknown argument")
        << QStringList{QStringLiteral("purge"), QStringLiteral("--person"), QStringLiteral("x"),
                       QStringLiteral("--everyone")}
        << QStringLiteral("unexpected argument: --everyone");
}

void TestRetention::purgeCommandUsage()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const QString ws = TestDatabase::freshWorkspace(m_dir.path());
    const CliRun r = runCli(ws, args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
}

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
