#include "retention.h"

#include "workspace.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QVariant>

#include <tuple>

namespace lockstep {

namespace {

const QString kErased = QStringLiteral("[erased]");

// What to look for: the identifiers as given, and e-mails also in lower case (the form
// the resolver keys them by).
class Needles
{
public:
    bool add(const QString& raw)
    {
        const QString v = raw.trimmed();
        // An e-mail in any case is one identifier; ids are case-sensitive.
        const bool email = v.contains(QLatin1Char('@'));
        if (v.isEmpty() || m_values.contains(v) || (email && m_lower.contains(v.toLower())))
            return false;
        m_values.insert(v);
        m_bytes.insert(v.toUtf8());
        if (email) {
            m_lower.insert(v.toLower());
            m_bytes.insert(v.toLower().toUtf8());
        }
        m_pattern = {};
        return true;
    }
    int size() const { return int(m_values.size()); }
    bool matches(const QString& v) const
    {
        return !v.isEmpty() && (m_values.contains(v) || m_lower.contains(v.toLower()));
    }
    bool matchesKey(const QByteArray& key) const { return m_bytes.contains(key); }
    bool anyIn(const QByteArray& blob) const
    {
        for (const QByteArray& b : m_bytes)
            if (blob.contains(b))
                return true;
        return false;
    }
    // Mentions in free text: the identifier as a whole word (so person 42 does not touch
    // "run 420"), in any case.
    const QRegularExpression& pattern() const
    {
        if (m_pattern.pattern().isEmpty()) {
            QStringList alternatives;
            for (const QString& v : m_values)
                alternatives << QRegularExpression::escape(v);
            // Longest first: an e-mail is not cut short by an id inside it.
            std::sort(alternatives.begin(), alternatives.end(),
                      [](const QString& a, const QString& b) { return a.size() > b.size(); });
            m_pattern = QRegularExpression(
                QStringLiteral(R"((?<![\w.@+-])(?:%1)(?![\w.@+-]))").arg(alternatives.join('|')),
                QRegularExpression::CaseInsensitiveOption);
        }
        return m_pattern;
    }

private:
    QSet<QString> m_values;
    QSet<QString> m_lower;
    QSet<QByteArray> m_bytes;
    mutable QRegularExpression m_pattern;
};

// One person's identifiers on a mismatch row.
struct Row
{
    QString cioId, personId, email, distinctId;
    bool matches(const Needles& n) const
    {
        return n.matches(cioId) || n.matches(personId) || n.matches(email) || n.matches(distinctId);
    }
};

Status exec(QSqlQuery& q)
{
    return Workspace::exec(q, "cannot purge the person");
}

// Every mismatch row (the checks' rows and the resolver's documents) as identifiers.
Result<QList<Row>> mismatchRows(Workspace& ws)
{
    QList<Row> rows;
    QSqlQuery q =
        ws.query(QStringLiteral("SELECT cio_id, person_id, email, distinct_id FROM mismatches"));
    if (auto st = exec(q); !st)
        return st.error();
    while (q.next())
        rows.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                     q.value(3).toString()});
    QSqlQuery s = ws.query(QStringLiteral("SELECT rows FROM mismatch_sets"));
    if (auto st = exec(s); !st)
        return st.error();
    while (s.next())
        for (const QJsonValue& v : QJsonDocument::fromJson(s.value(0).toByteArray()).array()) {
            const QJsonArray r = v.toArray();
            rows.append(
                {r.at(2).toString(), r.at(3).toString(), r.at(4).toString(), r.at(5).toString()});
        }
    return rows;
}

// Adds the identifiers that sit on one row with one already looked for: the same person's
// id, e-mail and cio_id, so an erasure by e-mail also reaches a mapping keyed by id. A value
// seen with more than one cio_id (a placeholder id, a shared e-mail) names no one person and
// is not followed.
void addLinked(Needles& needles, const QList<Row>& rows)
{
    QHash<QString, QSet<QString>> owners;
    for (const Row& r : rows)
        for (const QString& v : {r.personId, r.email})
            if (!v.isEmpty() && !r.cioId.isEmpty())
                owners[v.toLower()].insert(r.cioId);
    const auto single = [&](const QString& v) { return owners.value(v.toLower()).size() <= 1; };
    for (bool grew = true; grew;) {
        grew = false;
        for (const Row& r : rows) {
            if (!r.matches(needles))
                continue;
            for (const QString& v : {r.cioId, r.personId, r.email})
                if (!v.isEmpty() && single(v))
                    grew |= needles.add(v);
        }
    }
}

// Keys joined by '\n' without those looked for; `removed` counts them.
QByteArray withoutKeys(const QByteArray& joined, const Needles& needles, qint64* removed,
                       qint64* left)
{
    QByteArray out;
    out.reserve(joined.size());
    *left = 0;
    for (const QByteArray& key : joined.split('\n')) {
        if (needles.matchesKey(key)) {
            ++*removed;
            continue;
        }
        if (!out.isEmpty())
            out += '\n';
        out += key;
        ++*left;
    }
    return out;
}

} // namespace

qint64 PurgeCounts::total() const
{
    qint64 n = 0;
    for (const auto& t : tables)
        n += t.second;
    return n;
}

Status Retention::forgetMappingRows(Workspace& ws, qint64 mappingId)
{
    for (const char* table : {"snapshot_keys", "snapshot_meta", "snapshot_people",
                              "journal_batches", "held_exits", "mismatches", "mismatch_sets"}) {
        QSqlQuery q =
            ws.query(QStringLiteral("DELETE FROM %1 WHERE mapping_id=?").arg(QLatin1String(table)));
        q.addBindValue(mappingId);
        if (auto st = Workspace::exec(q, "cannot delete the mapping's members"); !st)
            return st;
    }
    return {};
}

Result<PurgeCounts> Retention::purgePerson(const QStringList& identifiers)
{
    Needles needles;
    for (const QString& id : identifiers)
        needles.add(id);
    if (needles.size() == 0)
        return SyncError::make(SyncError::Category::Usage,
                               QStringLiteral("no identifier to purge"));
    PurgeCounts counts;
    QSet<qint64> snapshotsChanged; // mappings whose snapshot held one of the person's keys
    Status st = m_ws.transaction([&]() -> Status {
        auto rows = mismatchRows(m_ws);
        if (!rows)
            return rows.error();
        addLinked(needles, *rows);
        counts.identifiers = needles.size();

        // Snapshots: the person's key out of each mapping's blob.
        qint64 n = 0;
        {
            QSqlQuery q = m_ws.query(QStringLiteral("SELECT mapping_id, keys FROM snapshot_keys"));
            if (auto s = exec(q); !s)
                return s;
            struct Snapshot
            {
                qint64 mappingId;
                QByteArray kept;
                qint64 left;
            };
            // Read first, write after: PostgreSQL's driver drops a result still being read
            // when the connection runs another statement.
            QList<Snapshot> changed;
            snapshotsChanged.clear();
            while (q.next()) {
                const QByteArray blob = q.value(1).toByteArray();
                if (!needles.anyIn(blob))
                    continue;
                qint64 removed = 0, left = 0;
                QByteArray kept = withoutKeys(blob, needles, &removed, &left);
                if (removed == 0)
                    continue;
                counts.keys += removed;
                changed.append({q.value(0).toLongLong(), std::move(kept), left});
                snapshotsChanged.insert(q.value(0).toLongLong());
            }
            for (const Snapshot& c : changed) {
                QSqlQuery u = m_ws.query(
                    QStringLiteral("UPDATE snapshot_keys SET keys=? WHERE mapping_id=?"));
                u.addBindValue(c.kept.isNull() ? QByteArray("") : c.kept);
                u.addBindValue(c.mappingId);
                if (auto s = exec(u); !s)
                    return s;
                QSqlQuery m = m_ws.query(QStringLiteral(
                    "UPDATE snapshot_meta SET member_count=?, synced_count=-1 WHERE mapping_id=?"));
                m.addBindValue(c.left);
                m.addBindValue(c.mappingId);
                if (auto s = exec(m); !s)
                    return s;
            }
            n = changed.size();
        }
        counts.tables.append({QStringLiteral("snapshot_keys"), n});

        // The people behind each snapshot (cio_ids, unsorted): the person's lines out. A
        // mapping whose snapshot lost the person's key but whose list names none of the
        // cio_ids looked for loses its whole list (which line was theirs cannot be told);
        // its next settled run writes it again.
        n = 0;
        {
            QSqlQuery q =
                m_ws.query(QStringLiteral("SELECT mapping_id, people FROM snapshot_people"));
            if (auto s = exec(q); !s)
                return s;
            QList<std::pair<qint64, QByteArray>> kept; // null: the row goes
            while (q.next()) {
                const qint64 mappingId = q.value(0).toLongLong();
                const QByteArray blob = q.value(1).toByteArray();
                qint64 removed = 0, left = 0;
                QByteArray rest =
                    needles.anyIn(blob) ? withoutKeys(blob, needles, &removed, &left) : blob;
                if (removed > 0)
                    kept.append({mappingId, rest.isNull() ? QByteArray("") : rest});
                else if (snapshotsChanged.contains(mappingId))
                    kept.append({mappingId, QByteArray()});
            }
            for (const auto& [mappingId, rest] : kept) {
                QSqlQuery u = m_ws.query(
                    rest.isNull()
                        ? QStringLiteral("DELETE FROM snapshot_people WHERE mapping_id=?")
                        : QStringLiteral("UPDATE snapshot_people SET people=?, people_count=? "
                                         "WHERE mapping_id=?"));
                if (!rest.isNull()) {
                    u.addBindValue(rest);
                    u.addBindValue(rest.isEmpty() ? qint64(0) : rest.count('\n') + 1);
                }
                u.addBindValue(mappingId);
                if (auto s = exec(u); !s)
                    return s;
            }
            n = kept.size();
        }
        counts.tables.append({QStringLiteral("snapshot_people"), n});

        // Held mass exits: the person's key out of each hold (its count follows), so
        // applying a hold can no longer name them.
        n = 0;
        {
            QSqlQuery q = m_ws.query(QStringLiteral("SELECT id, keys FROM held_exits"));
            if (auto s = exec(q); !s)
                return s;
            QList<std::tuple<qint64, QByteArray, qint64>> changed;
            while (q.next()) {
                const QByteArray blob = q.value(1).toByteArray();
                if (!needles.anyIn(blob))
                    continue;
                qint64 removed = 0, left = 0;
                QByteArray kept = withoutKeys(blob, needles, &removed, &left);
                if (removed == 0)
                    continue;
                counts.keys += removed;
                changed.append({q.value(0).toLongLong(), std::move(kept), left});
            }
            for (const auto& [id, kept, left] : changed) {
                QSqlQuery u = m_ws.query(
                    QStringLiteral("UPDATE held_exits SET keys=?, exit_count=? WHERE id=?"));
                u.addBindValue(kept.isNull() ? QByteArray("") : kept);
                u.addBindValue(left);
                u.addBindValue(id);
                if (auto s = exec(u); !s)
                    return s;
            }
            n = changed.size();
        }
        counts.tables.append({QStringLiteral("held_exits"), n});

        // Journal batches: the key out of each batch (a batch left empty goes), and mentions
        // in their errors.
        n = 0;
        {
            QSqlQuery q = m_ws.query(QStringLiteral(
                "SELECT run_id, seq, keys, error, size FROM journal_batches WHERE keys <> '' OR "
                "error <> ''"));
            if (auto s = exec(q); !s)
                return s;
            struct Batch
            {
                qint64 runId;
                int seq;
                QByteArray keys;
                qint64 size;
                QString error;
            };
            QList<Batch> changed;
            while (q.next()) {
                const QByteArray keys = q.value(2).toString().toUtf8();
                QString error = q.value(3).toString();
                const bool inError = error.contains(needles.pattern());
                if (!inError && !needles.anyIn(keys))
                    continue;
                qint64 removed = 0, left = q.value(4).toLongLong();
                QByteArray kept =
                    keys.isEmpty() ? keys : withoutKeys(keys, needles, &removed, &left);
                if (removed == 0 && !inError)
                    continue;
                counts.keys += removed;
                error.replace(needles.pattern(), kErased);
                changed.append(
                    {q.value(0).toLongLong(), q.value(1).toInt(), std::move(kept), left, error});
            }
            for (const Batch& b : changed) {
                QSqlQuery u = m_ws.query(QStringLiteral(
                    "UPDATE journal_batches SET keys=?, size=?, error=? WHERE run_id=? AND seq=?"));
                u.addBindValue(QString::fromUtf8(b.keys));
                u.addBindValue(b.size);
                u.addBindValue(Workspace::text(b.error));
                u.addBindValue(b.runId);
                u.addBindValue(b.seq);
                if (auto s = exec(u); !s)
                    return s;
            }
            // A batch whose only key was the person's has nothing left to send or replay.
            QSqlQuery d = m_ws.query(
                QStringLiteral("DELETE FROM journal_batches WHERE keys = '' AND size = 0 AND "
                               "state <> 'applied'"));
            if (auto s = exec(d); !s)
                return s;
            n = changed.size();
        }
        counts.tables.append({QStringLiteral("journal_batches"), n});

        // The checks' mismatch rows: deleted.
        n = 0;
        {
            QSqlQuery q = m_ws.query(QStringLiteral("SELECT run_id, mapping_id, cio_id, person_id, "
                                                    "email, distinct_id FROM mismatches"));
            if (auto s = exec(q); !s)
                return s;
            QList<Row> gone;
            while (q.next()) {
                const Row r{q.value(2).toString(), q.value(3).toString(), q.value(4).toString(),
                            q.value(5).toString()};
                if (r.matches(needles))
                    gone.append(r);
            }
            for (const Row& r : gone) {
                QSqlQuery d = m_ws.query(
                    QStringLiteral("DELETE FROM mismatches WHERE cio_id=? AND distinct_id=? AND "
                                   "COALESCE(person_id, '')=? AND COALESCE(email, '')=?"));
                for (const QString& v : {r.cioId, r.distinctId, r.personId, r.email})
                    d.addBindValue(Workspace::text(v));
                if (auto s = exec(d); !s)
                    return s;
                n += d.numRowsAffected() > 0 ? d.numRowsAffected() : 0;
            }
        }
        counts.tables.append({QStringLiteral("mismatches"), n});

        // The resolver's documents: the person's rows out of each.
        n = 0;
        {
            QSqlQuery q = m_ws.query(QStringLiteral("SELECT mapping_id, rows FROM mismatch_sets"));
            if (auto s = exec(q); !s)
                return s;
            QList<std::pair<qint64, QJsonArray>> changed;
            while (q.next()) {
                const QJsonArray rows = QJsonDocument::fromJson(q.value(1).toByteArray()).array();
                QJsonArray kept;
                for (const QJsonValue& v : rows) {
                    const QJsonArray r = v.toArray();
                    const Row row{r.at(2).toString(), r.at(3).toString(), r.at(4).toString(),
                                  r.at(5).toString()};
                    if (!row.matches(needles))
                        kept.append(v);
                }
                if (kept.size() != rows.size())
                    changed.append({q.value(0).toLongLong(), kept});
            }
            for (const auto& [mappingId, kept] : changed) {
                QSqlQuery u = m_ws.query(QStringLiteral(
                    "UPDATE mismatch_sets SET rows=?, row_count=? WHERE mapping_id=?"));
                u.addBindValue(QJsonDocument(kept).toJson(QJsonDocument::Compact));
                u.addBindValue(qint64(kept.size()));
                u.addBindValue(mappingId);
                if (auto s = exec(u); !s)
                    return s;
            }
            n = changed.size();
        }
        counts.tables.append({QStringLiteral("mismatch_sets"), n});

        // Free text that may name the person: check results, run and alert messages, what
        // operators typed. The mention becomes "[erased]".
        struct Text
        {
            const char* table;
            QStringList columns;
        };
        const QList<Text> texts{
            {"trust_checks", {QStringLiteral("summary"), QStringLiteral("result")}},
            {"runs", {QStringLiteral("message"), QStringLiteral("verify_note")}},
            {"alerts",
             {QStringLiteral("subject"), QStringLiteral("message"),
              QStringLiteral("acknowledged_by")}},
            {"mappings", {QStringLiteral("owner"), QStringLiteral("decision")}},
        };
        for (const Text& t : texts) {
            QSqlQuery q =
                m_ws.query(QStringLiteral("SELECT id, %1 FROM %2")
                               .arg(t.columns.join(QStringLiteral(", ")), QLatin1String(t.table)));
            if (auto s = exec(q); !s)
                return s;
            QList<std::pair<qint64, QStringList>> changed;
            while (q.next()) {
                QStringList values;
                bool hit = false;
                for (int c = 0; c < t.columns.size(); ++c) {
                    QString v = q.value(c + 1).toString();
                    if (v.contains(needles.pattern())) {
                        v.replace(needles.pattern(), kErased);
                        hit = true;
                    }
                    values << v;
                }
                if (hit)
                    changed.append({q.value(0).toLongLong(), values});
            }
            QStringList sets;
            for (const QString& c : t.columns)
                sets << c + QStringLiteral("=?");
            for (const auto& [id, values] : changed) {
                QSqlQuery u =
                    m_ws.query(QStringLiteral("UPDATE %1 SET %2 WHERE id=?")
                                   .arg(QLatin1String(t.table), sets.join(QStringLiteral(", "))));
                for (const QString& v : values)
                    u.addBindValue(Workspace::text(v));
                u.addBindValue(id);
                if (auto s = exec(u); !s)
                    return s;
            }
            counts.tables.append({QLatin1String(t.table), qint64(changed.size())});
        }
        return {};
    });
    if (!st)
        return st.error();
    counts.filesCleared = m_ws.forgetFreedBytes(Workspace::Erase::Thorough);
    return counts;
}

} // namespace lockstep
