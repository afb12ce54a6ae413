#include "runplanner.h"

#include <algorithm>
#include <functional>

namespace lockstep {

QString holdReasonName(HoldReason r)
{
    switch (r) {
    case HoldReason::None:
        return QString();
    case HoldReason::Share:
        return QStringLiteral("share");
    case HoldReason::EmptySegment:
        return QStringLiteral("empty_segment");
    }
    return QString();
}

HoldReason judgeExits(const MassExitGuard& guard, qint64 lastSize, qint64 segmentSize, qint64 exits)
{
    if (exits <= 0 || lastSize <= 0)
        return HoldReason::None;
    // Whatever the share: an empty read of a cohort of some size is far likelier a broken
    // read or definition than everyone leaving at once.
    if (segmentSize == 0 && lastSize >= guard.emptyMinimum)
        return HoldReason::EmptySegment;
    if (guard.sharePercent > 0 && double(exits) * 100.0 > guard.sharePercent * double(lastSize))
        return HoldReason::Share;
    return HoldReason::None;
}

RunPlanner::RunPlanner(PlanOptions options) : m_options(std::move(options))
{
    m_options.maxUpdates = std::max(1, m_options.maxUpdates);
}

void RunPlanner::setAcceptedExits(const QByteArray& keys)
{
    std::vector<std::string>& accepted = m_options.massExit.accepted;
    accepted.clear();
    qsizetype start = 0;
    while (start < keys.size()) {
        qsizetype end = keys.indexOf('\n', start);
        if (end < 0)
            end = keys.size();
        if (end > start)
            accepted.emplace_back(keys.constData() + start, size_t(end - start));
        start = end + 1;
    }
    std::sort(accepted.begin(), accepted.end());
    accepted.erase(std::unique(accepted.begin(), accepted.end()), accepted.end());
}

void RunPlanner::close(QList<JournalBatch>& out)
{
    if (m_open.size > 0)
        out.append(std::move(m_open));
    m_open = JournalBatch();
    m_openBytes = 2;
    m_heldCount = 0;
}

void RunPlanner::push(QList<JournalBatch>& out, JournalBatch::Op op, std::string_view key)
{
    const qsizetype bytes = m_options.bodies.keyBytes(op, key);
    // A key that alone is over the byte limit still goes, in a batch of its own.
    if (m_open.size > 0 && (m_open.op != op || m_openBytes + bytes > m_options.maxBodyBytes))
        close(out);
    if (m_open.size == 0) {
        m_open.seq = m_nextSeq++;
        m_open.op = op;
    } else {
        m_open.keys += '\n';
    }
    m_open.keys.append(key.data(), qsizetype(key.size()));
    ++m_open.size;
    m_openBytes += bytes;
    if (m_open.size >= m_options.maxUpdates)
        close(out);
}

QList<JournalBatch> RunPlanner::stream(const QByteArray& keys, int count)
{
    QList<JournalBatch> out;
    if (count <= 0 || keys.isEmpty())
        return out;
    qsizetype start = 0;
    while (start <= keys.size()) {
        qsizetype end = keys.indexOf('\n', start);
        if (end < 0)
            end = keys.size();
        if (end > start)
            push(out, JournalBatch::Op::Add,
                 std::string_view(keys.constData() + start, size_t(end - start)));
        start = end + 1;
    }
    m_heldCount = m_open.size;
    return out;
}

RunPlanner::ExitSplit RunPlanner::splitExits(const MemberSet& previous, const MemberSet& current,
                                             const MemberDiff& diff) const
{
    ExitSplit split;
    const std::vector<std::string>& accepted = m_options.massExit.accepted;
    std::vector<uint32_t> judged;
    judged.reserve(diff.exited.size());
    for (uint32_t i : diff.exited) {
        const std::string_view key = previous.key(i);
        if (std::binary_search(accepted.begin(), accepted.end(), key, std::less<>()))
            split.send.push_back(i);
        else
            judged.push_back(i);
    }
    split.accepted = qint64(split.send.size());
    split.reason = judgeExits(m_options.massExit, qint64(previous.size()), qint64(current.size()),
                              qint64(judged.size()));
    if (split.reason == HoldReason::None) {
        // In the snapshot's order, as the diff found them.
        split.send = diff.exited;
    } else {
        split.hold = std::move(judged);
    }
    return split;
}

RunPlan RunPlanner::count(const MemberSet& previous, const MemberSet& current,
                          const MemberDiff& diff) const
{
    RunPlan p;
    const bool full = m_options.kind == RunKind::Full;
    // A full resync sent everyone while reading (the snapshot may have drifted from
    // Mixpanel); removals still come from the snapshot.
    p.entered = full ? qint64(current.size()) : qint64(diff.entered.size());
    p.exited = qint64(diff.exited.size());
    p.unchanged = full ? 0 : qint64(diff.unchanged);
    if (m_options.kind == RunKind::DryRun) {
        const ExitSplit split = splitExits(previous, current, diff);
        p.holdReason = split.reason;
        p.held = qint64(split.hold.size());
        p.accepted = split.accepted;
        p.exited -= p.held;
    }
    return p;
}

RunPlan RunPlanner::plan(const MemberSet& previous, const MemberSet& current,
                         const MemberDiff& diff, const QList<JournalBatch>& uncertain,
                         const std::vector<std::string>& holders)
{
    RunPlan p = count(previous, current, diff);
    if (m_options.kind == RunKind::DryRun)
        return p;
    const bool full = m_options.kind == RunKind::Full;

    const ExitSplit split = splitExits(previous, current, diff);
    p.holdReason = split.reason;
    p.accepted = split.accepted;
    p.heldKeys.reserve(split.hold.size());
    for (uint32_t i : split.hold)
        p.heldKeys.emplace_back(previous.key(i));
    // The snapshot is sorted: so are its held keys.
    p.held = qint64(p.heldKeys.size());
    const auto isHeld = [&p](std::string_view key) {
        return std::binary_search(p.heldKeys.begin(), p.heldKeys.end(), key, std::less<>());
    };

    // Keys whose last send has an unknown fate (the process died mid-batch, or the batch
    // failed after a timeout that Mixpanel may still have applied) are sent again from the
    // current membership even where the snapshot says nothing changed.
    for (const JournalBatch& b : uncertain) {
        for (const QByteArray& k : b.keyList()) {
            const std::string_view key(k.constData(), size_t(k.size()));
            if (key.empty())
                continue;
            const bool member = current.contains(key);
            const bool acknowledged = previous.contains(key);
            // Not a member and not in the snapshot, but an earlier add of it (or this
            // remove's own earlier add) may have reached Mixpanel -> remove. A remove
            // counts too: it was planned because such an add was uncertain, and
            // superseding it must not forget that.
            if (!member && !acknowledged)
                p.repairRemoves.emplace_back(key);
            // A remove not acknowledged of a key still a member: it may be gone -> add.
            else if (b.op == JournalBatch::Op::Remove && member && acknowledged && !full)
                p.repairAdds.emplace_back(key);
            // The same for a held exit (an applied hold whose run died): it stays.
            else if (b.op == JournalBatch::Op::Remove && !member && acknowledged && isHeld(key))
                p.repairAdds.emplace_back(key);
        }
    }
    // Full resync: profiles that hold the value but are neither members nor known to the
    // snapshot (edited by hand, or synced by a lost workspace) lose it.
    for (const std::string& h : holders)
        if (!current.contains(h) && !previous.contains(h))
            p.repairRemoves.push_back(h);
    for (auto* keys : {&p.repairAdds, &p.repairRemoves}) {
        std::sort(keys->begin(), keys->end());
        keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
    }

    // The streamed rest goes as it is, then the removals, then the repairs.
    close(p.batches);
    for (uint32_t i : split.send)
        push(p.batches, JournalBatch::Op::Remove, previous.key(i));
    for (const std::string& k : p.repairRemoves)
        push(p.batches, JournalBatch::Op::Remove, k);
    close(p.batches);
    for (const std::string& k : p.repairAdds)
        push(p.batches, JournalBatch::Op::Add, k);
    close(p.batches);

    p.exited = qint64(split.send.size());
    p.entered += qint64(p.repairAdds.size());
    p.exited += qint64(p.repairRemoves.size());
    p.unchanged -= qint64(p.repairAdds.size());
    return p;
}

} // namespace lockstep
