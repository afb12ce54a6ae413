#include "snapshotstore.h"

#include "util/clock.h"
#include "workspace.h"

#include <QVariant>

#include <cstring>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace lockstep {

namespace {

struct Change
{
    std::string_view key;
    bool add;
};

// `blob` as compact() writes it (non-empty keys joined by '\n', strictly increasing) with
// `changes` (sorted, one per key) applied, in the same form, and where each key starts;
// nothing if the blob is not in that form. The blob's bytes between two changes are copied in
// one piece: the changes are few, the keys many.
std::optional<std::pair<QByteArray, std::vector<uint32_t>>>
mergeInto(const QByteArray& blob, size_t blobMembers, const std::vector<Change>& changes)
{
    qsizetype bytes = blob.size() + 1;
    for (const Change& c : changes)
        bytes += c.add ? qsizetype(c.key.size()) + 1 : 0;
    if (bytes >= qsizetype(UINT32_MAX))
        return std::nullopt;
    QByteArray out(bytes, Qt::Uninitialized);
    char* w = out.data();
    std::vector<uint32_t> offsets;
    offsets.reserve(blobMembers + changes.size());
    const auto put = [&](std::string_view key) {
        offsets.push_back(uint32_t(w - out.constData()));
        std::memcpy(w, key.data(), key.size());
        w += key.size();
        *w++ = '\n';
    };
    const char* base = blob.constData();
    const qsizetype size = blob.size();
    qsizetype pending = 0; // blob bytes from here on are not copied yet (keys with their '\n')
    const auto flush = [&](qsizetype upTo) {
        std::memcpy(w, base + pending, size_t(upTo - pending));
        w += upTo - pending;
        pending = upTo;
    };
    std::string_view last;
    bool first = true;
    size_t j = 0;
    for (qsizetype start = 0; start < size;) {
        const char* nl =
            static_cast<const char*>(std::memchr(base + start, '\n', size_t(size - start)));
        const qsizetype end = nl ? qsizetype(nl - base) : size;
        const std::string_view key(base + start, size_t(end - start));
        if (key.empty() || key.size() > MemberSet::kMaxKeyBytes || (!first && !(last < key)) ||
            (nl && end + 1 == size))
            return std::nullopt;
        last = key;
        first = false;
        if (j < changes.size() && changes[j].key <= key) {
            flush(start);
            for (; j < changes.size() && changes[j].key < key; ++j)
                if (changes[j].add)
                    put(changes[j].key);
            if (j < changes.size() && changes[j].key == key && !changes[j++].add) {
                pending = std::min(end + 1, size); // removed: skip the key and its '\n'
                start = end + 1;
                continue;
            }
        }
        // Copied with its span later, to where the output ends now plus the bytes before it.
        offsets.push_back(uint32_t((w - out.constData()) + (start - pending)));
        start = end + 1;
    }
    flush(size);
    if (size > 0 && pending == size && w > out.constData() && w[-1] != '\n')
        *w++ = '\n'; // the blob's last key had no separator after it
    for (; j < changes.size(); ++j)
        if (changes[j].add)
            put(changes[j].key);
    out.resize(w > out.constData() ? qsizetype(w - out.constData()) - 1 : 0); // no trailing '\n'
    return std::make_pair(std::move(out), std::move(offsets));
}

} // namespace

Result<MemberSet> SnapshotStore::load(qint64 mappingId)
{
    auto loaded = loadReplaying(mappingId);
    if (!loaded)
        return loaded.error();
    return std::move(loaded->members);
}

Result<SnapshotStore::Loaded> SnapshotStore::loadReplaying(qint64 mappingId)
{
    QSqlQuery base = m_ws.query(QStringLiteral(
        "SELECT k.keys, m.member_count FROM snapshot_meta m JOIN snapshot_keys k ON k.mapping_id = "
        "m.mapping_id WHERE m.mapping_id=?"));
    base.addBindValue(mappingId);
    if (auto st = Workspace::exec(base, "cannot read the snapshot"); !st)
        return st.error();
    QByteArray blob;
    qint64 count = 0;
    if (base.next()) {
        blob = base.value(0).toByteArray();
        count = base.value(1).toLongLong();
    }
    base.finish();

    // The common case: everything acknowledged is folded into the blob already, so the
    // set is a view over it (no copy of the keys).
    QSqlQuery acked = m_ws.query(QStringLiteral(
        "SELECT COUNT(*) FROM journal_batches WHERE mapping_id=? AND state='acked'"));
    acked.addBindValue(mappingId);
    if (auto st = Workspace::exec(acked, "cannot read the journal"); !st)
        return st.error();
    const bool pending = acked.next() && acked.value(0).toLongLong() > 0;
    acked.finish();
    if (!pending)
        return Loaded{MemberSet::fromBlob(blob, size_t(std::max<qint64>(count, 0))), 0};

    // Batches acknowledged since the last compaction, in the order they happened; for a
    // key, the last operation wins.
    QSqlQuery replay = m_ws.query(
        QStringLiteral("SELECT op, keys FROM journal_batches WHERE mapping_id=? AND state='acked' "
                       "ORDER BY run_id, seq"));
    replay.addBindValue(mappingId);
    if (auto st = Workspace::exec(replay, "cannot read the journal"); !st)
        return st.error();
    // The journal's keys go into one text (one big allocation, given back whole: this
    // may run on the writer's thread, whose heap would keep many small pieces); the
    // changes refer into it and are sorted once, so the blob (written sorted by
    // compact()) is folded in by one merge. A hash map of a million std::strings here
    // cost more than the rest of the run.
    QByteArray texts;
    std::vector<std::pair<qsizetype, bool>> rows; // where each batch's keys end, its op
    while (replay.next()) {
        texts += replay.value(1).toString().toUtf8();
        texts += '\n';
        rows.emplace_back(texts.size(), replay.value(0).toString() == QLatin1String("add"));
    }
    std::vector<Change> changes;
    qint64 replayed = 0;
    qsizetype from = 0;
    for (const auto& [rowEnd, add] : rows) {
        while (from < rowEnd) {
            const qsizetype end = texts.indexOf('\n', from); // < rowEnd: each row ends with one
            if (end > from) {
                changes.push_back(
                    {std::string_view(texts.constData() + from, size_t(end - from)), add});
                ++replayed;
            }
            from = end + 1;
        }
    }
    // Stable: for a key, the last operation in journal order wins.
    std::stable_sort(changes.begin(), changes.end(),
                     [](const Change& a, const Change& b) { return a.key < b.key; });
    {
        size_t out = 0;
        for (size_t i = 0; i < changes.size(); ++i) {
            if (out > 0 && changes[out - 1].key == changes[i].key)
                changes[out - 1] = changes[i];
            else
                changes[out++] = changes[i];
        }
        changes.resize(out);
    }

    // The blob as compact() writes it (sorted, distinct keys): fold the changes in by one
    // merge into a new blob, and view the set over that (4 bytes a member beside the keys).
    if (auto merged = mergeInto(blob, size_t(std::max<qint64>(count, 0)), changes))
        return Loaded{
            MemberSet::fromIndexedBlob(std::move(merged->first), std::move(merged->second)),
            replayed};

    std::vector<std::string_view> blobKeys;
    blobKeys.reserve(size_t(count));
    for (qsizetype start = 0; start < blob.size();) {
        qsizetype end = blob.indexOf('\n', start);
        if (end < 0)
            end = blob.size();
        const std::string_view key(blob.constData() + start, size_t(end - start));
        start = end + 1;
        if (!key.empty())
            blobKeys.push_back(key);
    }

    MemberSet set;
    set.reserve(blobKeys.size() + changes.size(), size_t(blob.size()));
    {
        // A blob not in compact()'s form (out of order, repeated or empty keys; written by
        // something else): look each key up.
        std::vector<bool> decided(changes.size(), false);
        for (const std::string_view key : blobKeys) {
            const auto it =
                std::lower_bound(changes.begin(), changes.end(), key,
                                 [](const Change& c, std::string_view k) { return c.key < k; });
            if (it != changes.end() && it->key == key && !decided[size_t(it - changes.begin())]) {
                decided[size_t(it - changes.begin())] = true;
                if (!it->add)
                    continue;
            }
            set.add(key);
        }
        for (size_t j = 0; j < changes.size(); ++j)
            if (!decided[j] && changes[j].add)
                set.add(changes[j].key);
    }
    set.finalize();
    return Loaded{std::move(set), replayed};
}

Result<qint64> SnapshotStore::count(qint64 mappingId)
{
    // Kept by the last run that ended (or compaction); unknown while a run is under way
    // or after one was killed, and then counted from the blob and the journal.
    QSqlQuery q = m_ws.query(
        QStringLiteral("SELECT synced_count, member_count FROM snapshot_meta WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot count the snapshot"); !st)
        return st.error();
    qint64 inBlob = 0;
    if (q.next()) {
        if (const qint64 synced = q.value(0).toLongLong(); synced >= 0)
            return synced;
        inBlob = q.value(1).toLongLong();
    }
    q.finish();
    QSqlQuery pending = m_ws.query(QStringLiteral(
        "SELECT COUNT(*) FROM journal_batches WHERE mapping_id=? AND state='acked'"));
    pending.addBindValue(mappingId);
    if (auto st = Workspace::exec(pending, "cannot read the journal"); !st)
        return st.error();
    if (!pending.next() || pending.value(0).toLongLong() == 0)
        return inBlob;
    pending.finish();
    auto set = load(mappingId);
    if (!set)
        return set.error();
    return qint64(set->size());
}

Status SnapshotStore::plan(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches,
                           const std::function<Status()>& alongside)
{
    return m_ws.transaction([&]() -> Status {
        if (alongside)
            if (auto st = alongside(); !st)
                return st;
        QSqlQuery sup = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='superseded' WHERE mapping_id=? AND run_id<? AND "
            "state IN ('planned','failed')"));
        sup.addBindValue(mappingId);
        sup.addBindValue(runId);
        if (auto st = Workspace::exec(sup, "cannot supersede earlier batches"); !st)
            return st;
        if (auto st = forgetCount(mappingId); !st)
            return st;
        return insert(runId, mappingId, batches);
    });
}

Status SnapshotStore::append(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches)
{
    return m_ws.transaction([&]() -> Status {
        if (auto st = forgetCount(mappingId); !st)
            return st;
        return insert(runId, mappingId, batches);
    });
}

Status SnapshotStore::insert(qint64 runId, qint64 mappingId, const QList<JournalBatch>& batches)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO journal_batches (run_id, seq, mapping_id, op, size, keys, state, "
        "planned_at_ms) VALUES (?,?,?,?,?,?,'planned',?)"));
    const qint64 plannedAt = Clock::system()->nowMs(); // latency: changes observed
    for (const JournalBatch& b : batches) {
        q.bindValue(0, runId);
        q.bindValue(1, b.seq);
        q.bindValue(2, mappingId);
        q.bindValue(3, JournalBatch::opName(b.op));
        q.bindValue(4, b.size);
        q.bindValue(5, QString::fromUtf8(b.keys));
        q.bindValue(6, plannedAt);
        if (auto st = Workspace::exec(q, "cannot journal the planned batches"); !st)
            return st;
    }
    return {};
}

Status SnapshotStore::acknowledge(qint64 runId, qint64 mappingId, const JournalBatch& batch,
                                  qint64 atMs)
{
    // One row: the batch's keys are already journaled, and load() replays them.
    QSqlQuery j = m_ws.query(
        QStringLiteral("UPDATE journal_batches SET state='acked', error='', acked_at_ms=CASE WHEN "
                       "acked_at_ms=0 THEN ? ELSE acked_at_ms END WHERE run_id=? AND seq=? AND "
                       "mapping_id=? AND state IN ('planned','failed','acked')"));
    j.addBindValue(
        atMs > 0 ? atMs : Clock::system()->nowMs()); // latency: the first acknowledgement counts
    j.addBindValue(runId);
    j.addBindValue(batch.seq);
    j.addBindValue(mappingId);
    return Workspace::exec(j, "cannot mark the batch acknowledged");
}

Status SnapshotStore::fail(qint64 runId, int seq, const QString& error)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "UPDATE journal_batches SET state='failed', error=? WHERE run_id=? AND seq=?"));
    q.addBindValue(Workspace::message(error));
    q.addBindValue(runId);
    q.addBindValue(seq);
    return Workspace::exec(q, "cannot record the failed batch");
}

namespace {
// Rows of `SELECT seq, op, size, keys FROM journal_batches ...`, already executed.
QList<JournalBatch> batchesFrom(QSqlQuery& q)
{
    QList<JournalBatch> out;
    while (q.next()) {
        JournalBatch b;
        b.seq = q.value(0).toInt();
        b.op = q.value(1).toString() == QLatin1String("remove") ? JournalBatch::Op::Remove
                                                                : JournalBatch::Op::Add;
        b.size = q.value(2).toInt();
        b.keys = q.value(3).toString().toUtf8();
        out.append(b);
    }
    return out;
}
} // namespace

Result<QList<JournalBatch>> SnapshotStore::open(qint64 runId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT seq, op, size, keys FROM journal_batches WHERE run_id=? AND state='planned' "
        "ORDER BY seq"));
    q.addBindValue(runId);
    if (auto st = Workspace::exec(q, "cannot read the journal"); !st)
        return st.error();
    return batchesFrom(q);
}

Result<QList<JournalBatch>> SnapshotStore::uncertain(qint64 mappingId, qint64 beforeRunId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT seq, op, size, keys FROM journal_batches WHERE mapping_id=? AND run_id<? AND "
        "state IN ('planned','failed') ORDER BY run_id, seq"));
    q.addBindValue(mappingId);
    q.addBindValue(beforeRunId);
    if (auto st = Workspace::exec(q, "cannot read the journal"); !st)
        return st.error();
    return batchesFrom(q);
}

Status SnapshotStore::compact(qint64 mappingId)
{
    auto set = load(mappingId);
    if (!set)
        return set.error();
    return write(mappingId, std::move(*set));
}

Status SnapshotStore::compactTo(qint64 mappingId, MemberSet&& acknowledged)
{
    return write(mappingId, std::move(acknowledged));
}

Status SnapshotStore::rebase(qint64 mappingId, qint64 runId, const MemberSet& members)
{
    const QByteArray blob = members.joinedKeys(); // a loaded set's own blob: no copy
    return m_ws.transaction([&]() -> Status {
        if (auto st = ensureMeta(mappingId); !st)
            return st;
        if (auto st = writeKeys(mappingId, blob, qint64(members.size())); !st)
            return st;
        QSqlQuery j = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='applied', keys='' WHERE mapping_id=? AND "
            "state='acked' AND run_id<?"));
        j.addBindValue(mappingId);
        j.addBindValue(runId);
        return Workspace::exec(j, "cannot compact the journal");
    });
}

Status SnapshotStore::writeKeys(qint64 mappingId, const QByteArray& blob, qint64 members)
{
    QSqlQuery k = m_ws.query(QStringLiteral(
        "INSERT INTO snapshot_keys (mapping_id, keys) VALUES (?, ?) ON CONFLICT (mapping_id) "
        "DO UPDATE SET keys = excluded.keys"));
    k.addBindValue(mappingId);
    k.addBindValue(blob.isNull() ? QByteArray("") : blob); // no members: empty, not NULL
    if (auto st = Workspace::exec(k, "cannot write the snapshot"); !st)
        return st;
    QSqlQuery q =
        m_ws.query(QStringLiteral("UPDATE snapshot_meta SET member_count=? WHERE mapping_id=?"));
    q.addBindValue(members);
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot write the snapshot");
}

Status SnapshotStore::write(qint64 mappingId, MemberSet&& keys)
{
    const QByteArray blob = keys.joinedKeys();
    const qint64 members = qint64(keys.size());
    // The set is not needed past here: give its memory back before SQLite makes its own
    // copy of the blob (the peak of a run is here).
    keys.clear();
    return m_ws.transaction([&]() -> Status {
        if (auto st = ensureMeta(mappingId); !st)
            return st;
        if (auto st = writeKeys(mappingId, blob, members); !st)
            return st;
        QSqlQuery q = m_ws.query(
            QStringLiteral("UPDATE snapshot_meta SET synced_count=? WHERE mapping_id=?"));
        q.addBindValue(members);
        q.addBindValue(mappingId);
        if (auto st = Workspace::exec(q, "cannot write the snapshot"); !st)
            return st;
        QSqlQuery j = m_ws.query(QStringLiteral(
            "UPDATE journal_batches SET state='applied', keys='' WHERE mapping_id=? AND "
            "state='acked'"));
        j.addBindValue(mappingId);
        return Workspace::exec(j, "cannot compact the journal");
    });
}

Result<bool> SnapshotStore::settle(qint64 mappingId, qint64 runId, MemberSet&& members)
{
    const qint64 size = qint64(members.size());
    QSqlQuery q = m_ws.query(QStringLiteral(
        "SELECT COALESCE(SUM(CASE WHEN run_id=? THEN size ELSE 0 END), 0), COALESCE(SUM(size), 0) "
        "FROM journal_batches WHERE mapping_id=? AND state='acked'"));
    q.addBindValue(runId);
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the journal"); !st)
        return st.error();
    const bool ok = q.next();
    const qint64 own = ok ? q.value(0).toLongLong() : 0;
    const qint64 journaled = ok ? q.value(1).toLongLong() : 0;
    q.finish();
    if (own * kCompactShare > size || journaled > size) {
        if (auto st = write(mappingId, std::move(members)); !st)
            return st.error();
        return true;
    }
    members.clear();
    if (auto st = ensureMeta(mappingId); !st)
        return st.error();
    QSqlQuery c =
        m_ws.query(QStringLiteral("UPDATE snapshot_meta SET synced_count=? WHERE mapping_id=?"));
    c.addBindValue(size);
    c.addBindValue(mappingId);
    if (auto st = Workspace::exec(c, "cannot record the synced count"); !st)
        return st.error();
    return false;
}

Status SnapshotStore::forgetCount(qint64 mappingId)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("UPDATE snapshot_meta SET synced_count=-1 WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot record the synced count");
}

Status SnapshotStore::ensureMeta(qint64 mappingId)
{
    QSqlQuery q = m_ws.query(QStringLiteral(
        "INSERT INTO snapshot_meta (mapping_id) VALUES (?) ON CONFLICT (mapping_id) DO NOTHING"));
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot create the snapshot");
}

Status SnapshotStore::recordSegment(qint64 mappingId, qint64 segmentUpdatedAt)
{
    if (auto st = ensureMeta(mappingId); !st)
        return st;
    QSqlQuery q = m_ws.query(
        QStringLiteral("UPDATE snapshot_meta SET segment_updated_at=? WHERE mapping_id=?"));
    q.addBindValue(segmentUpdatedAt);
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot record the segment state");
}

Status SnapshotStore::recordFullSync(qint64 mappingId, qint64 atMs)
{
    if (auto st = ensureMeta(mappingId); !st)
        return st;
    QSqlQuery q =
        m_ws.query(QStringLiteral("UPDATE snapshot_meta SET full_sync_at=? WHERE mapping_id=?"));
    q.addBindValue(atMs);
    q.addBindValue(mappingId);
    return Workspace::exec(q, "cannot record the full sync");
}

Result<qint64> SnapshotStore::lastFullSyncMs(qint64 mappingId)
{
    QSqlQuery q =
        m_ws.query(QStringLiteral("SELECT full_sync_at FROM snapshot_meta WHERE mapping_id=?"));
    q.addBindValue(mappingId);
    if (auto st = Workspace::exec(q, "cannot read the snapshot state"); !st)
        return st.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Status SnapshotStore::clear(qint64 mappingId)
{
    return m_ws.transaction([&]() -> Status {
        for (const char* table : {"snapshot_meta", "snapshot_keys", "snapshot_people"}) {
            QSqlQuery q = m_ws.query(
                QStringLiteral("DELETE FROM %1 WHERE mapping_id=?").arg(QLatin1String(table)));
            q.addBindValue(mappingId);
            if (auto st = Workspace::exec(q, "cannot clear the snapshot"); !st)
                return st;
        }
        QSqlQuery j = m_ws.query(QStringLiteral("UPDATE journal_batches SET state='applied', "
                                                "keys='' WHERE mapping_id=? AND state='acked'"));
        j.addBindValue(mappingId);
        return Workspace::exec(j, "cannot clear the journal");
    });
}

} // namespace lockstep
