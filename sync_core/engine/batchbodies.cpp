#include "batchbodies.h"

#include "util/jsonwriter.h"

#include <QCryptographicHash>

#include <algorithm>

namespace lockstep {

namespace {
constexpr char kDistinctId[] = ",\"distinct_id\":";
constexpr char kInsertId[] = ",\"$insert_id\":\"";
constexpr char kEventTail[] = "\"}}";
constexpr qsizetype kInsertIdBytes = 32;

constexpr qsizetype literalBytes(const char* s)
{
    qsizetype n = 0;
    while (s[n])
        ++n;
    return n;
}
} // namespace

BatchBodies::BatchBodies(Mapping mapping, QByteArray projectToken, qint64 baseRunId,
                         qint64 baseRunFinishedMs)
    : m_mapping(std::move(mapping)), m_token(std::move(projectToken)), m_baseRunId(baseRunId),
      m_baseRunFinishedMs(baseRunFinishedMs)
{
    // Each key: the head, '}' and a ',' between updates.
    m_engageAdd = engageHead(JournalBatch::Op::Add).size() + 2;
    m_engageRemove = engageHead(JournalBatch::Op::Remove).size() + 2;
    const qsizetype eventRest = literalBytes(kDistinctId) + literalBytes(kInsertId) +
                                kInsertIdBytes + literalBytes(kEventTail) + 1;
    m_eventAdd = eventHead(JournalBatch::Op::Add).size() + eventRest;
    m_eventRemove = eventHead(JournalBatch::Op::Remove).size() + eventRest;
}

qsizetype BatchBodies::jsonStringBytes(std::string_view s)
{
    qsizetype n = 2;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != '"' && c != '\\')
            n += 1;
        else if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t')
            n += 2;
        else
            n += 6; // \u00XX
    }
    return n;
}

qsizetype BatchBodies::keyBytes(JournalBatch::Op op, std::string_view key) const
{
    const bool add = op == JournalBatch::Op::Add;
    qsizetype overhead = add ? m_engageAdd : m_engageRemove;
    if (m_mapping.sendEvents)
        overhead = std::max(overhead, add ? m_eventAdd : m_eventRemove);
    return overhead + jsonStringBytes(key);
}

QByteArray BatchBodies::engageHead(JournalBatch::Op op) const
{
    const QByteArray cohort = m_mapping.cohortName.toUtf8();
    const QByteArray prop = m_mapping.listProperty.toUtf8();
    // The per-update operation is the same for the whole batch.
    QByteArray operation;
    if (m_mapping.mode == SyncMode::List) {
        operation = op == JournalBatch::Op::Add ? "\"$union\":{" : "\"$remove\":{";
        json::appendString(operation, prop);
        operation += ':';
        if (op == JournalBatch::Op::Add) {
            operation += '[';
            json::appendString(operation, cohort);
            operation += "]}";
        } else {
            json::appendString(operation, cohort);
            operation += '}';
        }
    } else if (op == JournalBatch::Op::Add) {
        operation = "\"$set\":{";
        json::appendString(operation, cohort);
        operation += ":true}";
    } else {
        operation = "\"$unset\":[";
        json::appendString(operation, cohort);
        operation += ']';
    }
    QByteArray head = "{\"$token\":";
    json::appendString(head, m_token);
    head += ",\"$ignore_time\":true,";
    head += operation;
    head += ",\"$distinct_id\":";
    return head;
}

QByteArray BatchBodies::engage(const JournalBatch& batch) const
{
    const QByteArray head = engageHead(batch.op);
    QByteArray body;
    body.reserve(qsizetype(batch.size) * (head.size() + 48) + 2);
    body += '[';
    qsizetype start = 0;
    bool first = true;
    while (start <= batch.keys.size()) {
        qsizetype end = batch.keys.indexOf('\n', start);
        if (end < 0)
            end = batch.keys.size();
        if (!first)
            body += ',';
        first = false;
        body += head;
        json::appendString(body,
                           std::string_view(batch.keys.constData() + start, size_t(end - start)));
        body += '}';
        start = end + 1;
    }
    body += ']';
    return body;
}

QByteArray BatchBodies::eventInsertId(qint64 mappingId, qint64 baseRunId, bool entered,
                                      std::string_view key)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    const QByteArray prefix = QByteArray::number(mappingId) + '|' + QByteArray::number(baseRunId) +
                              (entered ? "|in|" : "|out|");
    h.addData(prefix);
    h.addData(QByteArrayView(key.data(), qsizetype(key.size())));
    return h.result().toHex().left(kInsertIdBytes);
}

QByteArray BatchBodies::eventHead(JournalBatch::Op op) const
{
    const bool entered = op == JournalBatch::Op::Add;
    QByteArray head = entered ? "{\"event\":\"Cohort Entered\",\"properties\":{\"time\":"
                              : "{\"event\":\"Cohort Exited\",\"properties\":{\"time\":";
    // Dated just after the last completed sync: the change is only known to have happened
    // since then, and a fixed time keeps a resumed run's events identical (Mixpanel
    // deduplicates on event, distinct_id, time and $insert_id).
    head += QByteArray::number(m_baseRunFinishedMs > 0 ? m_baseRunFinishedMs + 1000
                                                       : m_mapping.createdAt * 1000);
    head += ",\"cohort\":";
    json::appendString(head, m_mapping.cohortName.toUtf8());
    head += ",\"cio_segment_id\":";
    head += QByteArray::number(m_mapping.segmentId);
    head += ",\"lockstep_mapping_id\":";
    head += QByteArray::number(m_mapping.id);
    return head;
}

QByteArray BatchBodies::events(const JournalBatch& batch) const
{
    const bool entered = batch.op == JournalBatch::Op::Add;
    const QByteArray head = eventHead(batch.op);
    QByteArray body = "[";
    bool first = true;
    for (const QByteArray& k : batch.keyList()) {
        if (!first)
            body += ',';
        first = false;
        const std::string_view key(k.constData(), size_t(k.size()));
        body += head;
        body += kDistinctId;
        json::appendString(body, key);
        body += kInsertId;
        body += eventInsertId(m_mapping.id, m_baseRunId, entered, key);
        body += kEventTail;
    }
    body += ']';
    return body;
}

} // namespace lockstep
