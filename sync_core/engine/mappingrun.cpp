#include "mappingrun.h"

#include "batchsender.h"
#include "entrycheck.h"
#include "exitcheck.h"
#include "holderlist.h"
#include "pagedigest.h"
#include "runhistory.h"
#include "segmentpager.h"
#include "store/backgroundwriter.h"
#include "store/heldexits.h"
#include "store/mismatchrepository.h"
#include "store/mixpanellimits.h"
#include "store/runrepository.h"
#include "store/workspace.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>

#include <utility>

Q_LOGGING_CATEGORY(lcSync, "lockstep.sync")

namespace lockstep {

MappingRun::MappingRun(Workspace& ws, RequestScheduler* http, const ServiceConfig& services,
                       const Clock* clock, Mapping mapping, RunOptions options, QObject* parent,
                       BackgroundWriter* writer)
    : QObject(parent), m_ws(ws), m_writer(writer), m_counters(std::make_shared<RequestCounters>()),
      m_cio(http, services.customerIo, services.appApiKey, m_counters),
      m_mixpanel(http, services.mixpanel, m_counters), m_clock(clock),
      m_mapping(std::move(mapping)), m_options(options), m_snapshots(ws),
      m_snapshot(m_snapshots, m_mapping.id, writeHook(), [this](const char* phase) { perf(phase); })
{
    m_run.mappingId = m_mapping.id;
    m_run.kind = options.kind;
    m_http = http;
    // One parser thread: pages are resolved strictly one after the other, in order, and
    // the resolver is never touched by two threads.
    m_parser.setMaxThreadCount(1);
    SegmentPager::Handlers pages;
    pages.reply = [this](Result<QByteArray> body) { onRawPage(std::move(body)); };
    pages.parsed = [this](const PageDigest& page) { onPageParsed(page); };
    m_pager = std::make_unique<SegmentPager>(m_cio, m_mapping.segmentId, m_options.pageSize,
                                             m_options.maxPages, m_parser, std::move(pages));
    m_sender = std::make_unique<BatchSender>(m_mixpanel, m_snapshots, m_options.sendConcurrency);
    m_sender->setWrite(writeHook());
    m_sender->setNotify(
        [this] { onAnswered(); },
        [this] {
            if (planned() && m_phase != RunPhase::Finishing && m_phase != RunPhase::Done)
                report(QStringLiteral("sending"), m_sender->recorded(), m_sender->planned());
        });
    m_entryCheck = new EntryCheck(ws, http, clock, m_mixpanel, m_mapping, options.verifySample,
                                  options.queriesPerHour, this);
    m_entryCheck->setWrite(writeHook());
}

MappingRun::~MappingRun()
{
    m_parser.waitForDone();
}

void MappingRun::report(const QString& phase, qint64 done, qint64 total)
{
    SyncProgress p{m_run.id, m_mapping.id, phase, done, total};
    p.pagesRead = m_pagesRead;
    p.batchesSent = m_sender->batchesRecorded();
    p.batchesPlanned = m_sender->batchesPlanned();
    Q_EMIT progress(p);
}

void MappingRun::perf(const char* phase)
{
    m_perf.mark(m_run.id, phase);
}

void MappingRun::enterPhase(RunPhase next)
{
    if (next == m_phase)
        return;
    if (!isLegalTransition(m_phase, next)) {
        qCWarning(lcSync).noquote() << "run" << m_run.id << "illegal phase change"
                                    << runPhaseName(m_phase) << "->" << runPhaseName(next);
        Q_ASSERT_X(false, "MappingRun::enterPhase", "illegal phase change");
    }
    qCDebug(lcSync).noquote() << "run" << m_run.id << "phase" << runPhaseName(m_phase) << "->"
                              << runPhaseName(next);
    const bool wasReading = isReadingPhase(m_phase);
    m_phase = next;
    if (next != RunPhase::Stopping && next != RunPhase::Finishing && next != RunPhase::Done)
        m_workPhase = next;
    if (wasReading && !isReadingPhase(next))
        Q_EMIT readingFinished();
}

void MappingRun::atPhaseWork(RunPhase phase, std::function<void()> work)
{
    if (!m_options.onPhase)
        return work();
    QPointer<MappingRun> self(this);
    m_options.onPhase(phase, this, [self, work = std::move(work)] {
        if (self)
            work();
    });
}

bool MappingRun::planned() const
{
    return m_workPhase == RunPhase::Sending || m_workPhase == RunPhase::Verifying ||
           m_workPhase == RunPhase::Settling;
}

bool MappingRun::canSend() const
{
    return m_stopRequest == StopRequest::None && !m_sender->halted() &&
           m_phase != RunPhase::Stopping && m_phase != RunPhase::Finishing &&
           m_phase != RunPhase::Done;
}

RunTally MappingRun::tally() const
{
    RunTally t;
    t.phase = m_workPhase;
    t.dryRun = m_options.kind == RunKind::DryRun;
    t.cancelled = m_stopRequest == StopRequest::Cancel;
    t.stoppedGracefully = m_stopRequest == StopRequest::Graceful;
    t.notReady = m_notReady;
    t.runError = m_runError;
    t.sendError = m_sender->firstError();
    t.planned = m_sender->planned();
    t.unsent = m_sender->unsent();
    t.failed = m_sender->failed() + t.unsent;
    QStringList notes{m_holdersNote, m_entryCheck->note()};
    notes.removeAll(QString());
    t.notes = notes.join(QStringLiteral("; "));
    return t;
}

void MappingRun::start()
{
    m_perf.start();
    m_run.startedAtMs = m_clock->nowMs();
    auto id = RunRepository(m_ws).begin(m_mapping.id, m_options.kind, m_run.startedAtMs);
    if (!id)
        return fail(id.error());
    m_run.id = *id;
    qCInfo(lcSync) << "run" << m_run.id << "mapping" << m_mapping.id << runKindName(m_options.kind);
    // The last guard: a mapping saved before the byte limit was checked (or written to the
    // database by hand) would have its value truncated or refused by Mixpanel.
    if (auto st = checkCohortValueBytes(m_mapping.cohortName, m_mapping.mode); !st)
        return fail(st.error());
    enterPhase(RunPhase::CheckingSegment);
    report(QStringLiteral("reading"), 0, 0);
    QPointer<MappingRun> self(this);
    m_cio.segment(m_mapping.segmentId, [self](Result<SegmentInfo> s) {
        if (self)
            self->onSegment(s);
    });
}

void MappingRun::onSegment(const Result<SegmentInfo>& segment)
{
    if (m_phase != RunPhase::CheckingSegment)
        return;
    if (m_stopRequest == StopRequest::Cancel)
        return stop();
    if (!segment)
        return fail(segment.error());
    if (!segment->name.isEmpty() && segment->name != m_mapping.segmentName) {
        m_mapping.segmentName = segment->name;
        recordSegmentName(m_ws, m_mapping.id, segment->name);
    }
    if (!segment->isReady()) {
        m_notReady = QStringLiteral("segment %1 is still building (%2% done, state %3); not synced")
                         .arg(QString::number(segment->id), QString::number(*segment->progress),
                              segment->state);
        return conclude(decideEnding(tally()));
    }
    (void)m_snapshots.recordSegment(m_mapping.id, segment->updatedAt);
    perf("segment read");

    // Events are keyed and dated by the last completed run.
    const BaseRun base = lastSucceededRun(m_ws, m_mapping.id, m_run.id);
    m_resolver = std::make_unique<IdentityResolver>(m_mapping.identity);
    const BatchBodies bodies(m_mapping, m_mixpanel.projectToken().toUtf8(), base.id,
                             base.finishedMs);
    m_sender->setRun(m_run.id, m_mapping.id, bodies);
    MassExitGuard guard;
    guard.sharePercent = std::max(0.0, m_options.massExitPercent);
    m_planner = RunPlanner(PlanOptions{m_options.kind, m_options.batchSize,
                                       PlanOptions::kMaxBodyBytes, bodies, std::move(guard)});

    // What Mixpanel holds as far as we know, before anything of this run is sent: read
    // (tens of MB for a million keys, a journal to replay) by the writer's connection
    // while this thread asks for the first page, which waits for it (onRawPage).
    enterPhase(RunPhase::LoadingSnapshot);
    atPhaseWork(RunPhase::LoadingSnapshot, [this] { loadSnapshot(); });
    // A full resync lists Mixpanel's holders first (onSnapshotLoaded), other runs page now.
    if (m_phase == RunPhase::LoadingSnapshot && m_options.kind != RunKind::Full &&
        m_pager->requested() == 0)
        m_pager->request();
}

void MappingRun::loadSnapshot()
{
    if (m_phase != RunPhase::LoadingSnapshot)
        return; // stopped while the hook held the read back
    m_snapshot.load(
        [this](Result<SnapshotStore::Loaded> loaded) { onSnapshotLoaded(std::move(loaded)); });
}

void MappingRun::onSnapshotLoaded(Result<SnapshotStore::Loaded> previous)
{
    if (m_phase != RunPhase::LoadingSnapshot)
        return;
    if (!previous)
        return fail(previous.error());
    m_previous = std::make_shared<const MemberSet>(std::move(previous->members));
    perf("snapshot loaded");
    if (m_options.kind != RunKind::DryRun && m_run.id)
        m_snapshot.foldJournal(m_run.id, m_previous, previous->replayed);
    if (m_options.kind != RunKind::DryRun)
        m_seen = std::make_shared<std::vector<uint64_t>>((m_previous->size() + 63) / 64, 0);
    // The segment is rarely far from its last size: grow the key set once.
    m_resolver->reserve(m_previous->size() + m_previous->size() / 16);
    if (m_options.kind != RunKind::Full) {
        enterPhase(RunPhase::Reading);
        if (m_stashedPage) {
            // The first page came while the snapshot was read: parse it now.
            perf("first page held for the snapshot");
            Result<QByteArray> page = std::move(*m_stashedPage);
            m_stashedPage.reset();
            return onRawPage(std::move(page));
        }
        if (m_pager->requested() > 0)
            return; // its reply comes to onRawPage
        return m_pager->request();
    }
    // A full resync first lists who holds the value in Mixpanel, before this run adds
    // anyone: the list then holds only what was there (and stays affordable).
    if (m_mixpanel.canQuery())
        return listHolders();
    m_holdersNote = QStringLiteral("no Mixpanel service account: profiles holding the cohort "
                                   "outside the segment were not looked for");
    startReading();
}

void MappingRun::startReading()
{
    enterPhase(RunPhase::Reading);
    m_pager->request();
}

void MappingRun::onRawPage(Result<QByteArray> body)
{
    if (m_phase != RunPhase::LoadingSnapshot && m_phase != RunPhase::Reading)
        return;
    if (m_stopRequest == StopRequest::Cancel)
        return stop();
    if (m_phase == RunPhase::LoadingSnapshot) {
        // Parsing marks the snapshot's members the page shows: wait for the snapshot.
        m_stashedPage = std::move(body);
        return;
    }
    if (!body)
        return fail(body.error());
    // New members (everyone, on a full resync) come back as keys ready to be sent.
    SegmentPager::Digest how;
    how.resolver = m_resolver.get();
    how.previous = m_options.kind == RunKind::DryRun ? nullptr : m_previous;
    how.seen = m_seen.get(); // the parser's alone until reading is over
    how.sendKnown = m_planner.sendsEarly(/*inSnapshot=*/true);
    ++m_parsesPending;
    if (auto st = m_pager->parse(std::move(*body), how); !st)
        return fail(st.error());
}

void MappingRun::onPageParsed(const PageDigest& page)
{
    --m_parsesPending;
    if (m_phase != RunPhase::Reading) {
        if (m_phase == RunPhase::Stopping)
            pump(); // finishes once nothing is in flight
        return;
    }
    if (page.error.isError())
        return fail(page.error);
    m_membersRead += page.members;
    ++m_pagesRead;
    report(QStringLiteral("reading"), m_membersRead, 0);
    if (page.sendCount > 0)
        streamAdds(page.sendKeys, page.sendCount);
    if (m_phase != RunPhase::Reading)
        return;
    if (auto st = m_pager->next(page); !st)
        return fail(st.error());
    maybeFinishReading();
}

void MappingRun::streamAdds(const QByteArray& keys, int count)
{
    QList<JournalBatch> batches = m_planner.stream(keys, count);
    if (batches.isEmpty())
        return;
    // Journaled before they are sent; earlier runs' uncertain batches stay as they are
    // until the final plan re-decides them (see onDiffed).
    if (auto st = m_snapshots.append(m_run.id, m_mapping.id, batches); !st)
        return fail(st.error());
    m_sender->enqueue(std::move(batches));
    pump();
}

void MappingRun::maybeFinishReading()
{
    if (m_phase == RunPhase::Reading && m_pager->lastFetched() && m_parsesPending == 0)
        startDiff();
}

void MappingRun::listHolders()
{
    enterPhase(RunPhase::ListingHolders);
    auto* list = new HolderList(m_ws, m_http, m_clock, m_mixpanel, m_mapping,
                                m_options.queriesPerHour, this);
    list->start([this](qint64 listed) { report(QStringLiteral("checking Mixpanel"), listed, 0); },
                [this] { return m_stopRequest == StopRequest::Cancel; },
                [this, list](const HolderListResult& holders) {
                    list->deleteLater();
                    if (m_phase != RunPhase::ListingHolders)
                        return;
                    if (m_stopRequest == StopRequest::Cancel)
                        return stop();
                    m_holders = holders.keys;
                    m_holdersNote = holders.note;
                    startReading();
                });
}

void MappingRun::startDiff()
{
    enterPhase(RunPhase::Diffing);
    report(QStringLiteral("diffing"), 0, 0);
    perf("segment parsed");
    // The exits are known now (snapshot members no page showed): their lookups start
    // before the members are merged and diffed.
    qsizetype earlyExits = -1;
    if (m_seen) {
        const std::vector<uint32_t> exited = unseenMembers(*m_seen, m_previous->size());
        m_seen.reset();
        earlyExits = qsizetype(exited.size());
        startExitCheck(*m_previous, exited);
    }
    // Merging the pages' sorted runs and the diff (a few hundred milliseconds for a
    // million members) run on the parser thread: this one keeps the lookups going. The
    // merge counts as a parse from here, so a stop waits for it.
    ++m_parsesPending;
    atPhaseWork(RunPhase::Diffing, [this, earlyExits] {
        QPointer<MappingRun> self(this);
        IdentityResolver* resolver = m_resolver.get();
        const std::shared_ptr<const MemberSet> snapshot = m_previous;
        m_parser.start([self, resolver, snapshot, earlyExits] {
            auto members = std::make_shared<MemberSet>(resolver->takeMembers());
            auto diff = std::make_shared<MemberDiff>(diffMembers(*snapshot, *members));
            if (self)
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, members, diff, earlyExits] {
                        if (self)
                            self->onDiffed(std::move(*members), std::move(*diff), earlyExits);
                    },
                    Qt::QueuedConnection);
        });
    });
}

void MappingRun::onDiffed(MemberSet members, MemberDiff diff, qsizetype earlyExits)
{
    --m_parsesPending;
    if (m_phase != RunPhase::Diffing) {
        if (m_phase == RunPhase::Stopping)
            pump(); // finishes once nothing is in flight
        return;
    }
    perf("merged and compared with the snapshot");
    m_current = std::move(members);
    m_run.segmentCount = m_resolver->total();
    m_run.mismatched = m_resolver->unmatched();
    const MemberSet& current = m_current;
    const MemberSet& previous = *m_previous;
    const bool dryRun = m_options.kind == RunKind::DryRun;
    const RunPlan counted = m_planner.count(previous, current, diff);
    m_run.entered = counted.entered;
    m_run.exited = counted.exited;
    m_run.unchanged = counted.unchanged;
    // The trend's churn is who joined and left, not what a full resync re-sent.
    if (m_options.kind == RunKind::Full)
        m_run.joined = qint64(diff.entered.size());
    m_run.heldExits = counted.held;
    if (dryRun)
        m_holdNote = holdNote(counted, qint64(previous.size()));

    if (earlyExits < 0)
        startExitCheck(previous, diff.exited);
    else if (earlyExits != qsizetype(diff.exited.size()))
        qCWarning(lcSync) << "run" << m_run.id << "found" << earlyExits << "exits while reading and"
                          << diff.exited.size() << "by the diff";
    if (dryRun) {
        auto synced = m_snapshots.count(m_mapping.id);
        m_run.syncedCount = synced ? *synced : 0;
        // A dry run shows what the exit lookups found too: it waits for them.
        enterPhase(RunPhase::Settling);
        return pump();
    }
    m_entryCheck->prepare(m_run.id, current,
                          m_options.kind == RunKind::Full ? nullptr : &diff.entered);

    auto uncertain = m_snapshots.uncertain(m_mapping.id, m_run.id);
    if (!uncertain)
        return fail(uncertain.error());
    // An operator applies the mapping's held exits: they go whatever the share.
    std::optional<HeldExits> accepting;
    if (m_options.acceptHeldExits) {
        auto pending = HeldExitStore(m_ws).pending(m_mapping.id, HeldExitStore::Keys::All);
        if (!pending)
            return fail(pending.error());
        accepting = *pending;
        if (accepting)
            m_planner.setAcceptedExits(accepting->keys);
    }
    RunPlan plan = m_planner.plan(previous, current, diff, *uncertain, m_holders);
    m_run.entered = plan.entered;
    m_run.exited = plan.exited;
    m_run.unchanged = plan.unchanged;
    m_run.heldExits = plan.held;
    m_holdNote = holdNote(plan, qint64(previous.size()));
    HeldExits hold;
    if (plan.held > 0) {
        hold.mappingId = m_mapping.id;
        hold.runId = m_run.id;
        hold.heldAtMs = m_clock->nowMs();
        hold.reason = holdReasonName(plan.holdReason);
        hold.lastSize = qint64(previous.size());
        hold.segmentCount = qint64(current.size());
        hold.exitCount = plan.held;
        hold.sharePercent = m_planner.options().massExit.sharePercent;
        QByteArray keys;
        for (const std::string& k : plan.heldKeys) {
            if (!keys.isEmpty())
                keys += '\n';
            keys.append(k.data(), qsizetype(k.size()));
        }
        hold.keys = std::move(keys);
        qCWarning(lcSync).noquote()
            << "run" << m_run.id << "mapping" << m_mapping.id << "held" << plan.held << "exits of"
            << previous.size() << "(" << hold.reason << ")";
    }
    m_heldKeys = std::move(plan.heldKeys);
    // The snapshot is not needed any more; the members are (the next snapshot).
    m_previous.reset();

    perf("diffed");
    // One transaction: these batches, earlier runs' uncertain ones marked as re-decided by
    // them, and what becomes of the mapping's held exits. A run killed at any moment leaves
    // either all of it or none, and the held exits were never journaled as removes.
    const qint64 runId = m_run.id;
    const qint64 mappingId = m_mapping.id;
    const qint64 nowMs = m_clock->nowMs();
    const QString acceptedBy = m_options.acceptedBy;
    const auto holds = [this, &hold, &accepting, runId, mappingId, nowMs, acceptedBy]() -> Status {
        HeldExitStore store(m_ws);
        if (accepting)
            if (auto st = store.markApplied(accepting->id, runId, acceptedBy, nowMs); !st)
                return st;
        if (hold.exitCount > 0)
            return store.hold(hold);
        return store.supersede(mappingId, runId);
    };
    if (auto st = m_snapshots.plan(m_run.id, m_mapping.id, plan.batches, holds); !st)
        return fail(st.error());
    // The people behind the snapshot are written with it; a hold keeps those of its exits.
    m_snapshot.setPeople(m_mapping.identity, m_resolver->sharedPeople(), !m_heldKeys.empty());
    perf("planned");
    m_sender->enqueue(std::move(plan.batches));
    enterPhase(RunPhase::Sending);
    report(QStringLiteral("sending"), m_sender->recorded(), m_sender->planned());
    // The identity mismatches (tens of thousands of rows for a big e-mail mapping) are
    // written by the writer while the batches and the exit lookups are on the wire; the
    // run does not end before they are in.
    recordMismatches(std::shared_ptr<const IdentityResolver>(std::move(m_resolver)));
    if (m_exitCheckWaiting) {
        const std::unique_ptr<ExitCheckResult> waiting = std::move(m_exitCheckWaiting);
        onExitCheckDone(*waiting);
    }
    pump();
}

MemberSet MappingRun::withHeldExits(MemberSet members) const
{
    if (m_heldKeys.empty())
        return members;
    // Both sorted: merged in order, each member keeping its identifiers.
    MemberSet out;
    out.reserve(members.size() + m_heldKeys.size());
    size_t h = 0;
    for (size_t i = 0; i < members.size(); ++i) {
        const std::string_view key = members.key(i);
        for (; h < m_heldKeys.size() && std::string_view(m_heldKeys[h]) < key; ++h)
            out.add(m_heldKeys[h]);
        if (h < m_heldKeys.size() && std::string_view(m_heldKeys[h]) == key)
            ++h;
        out.add(key, members.extra(i));
    }
    for (; h < m_heldKeys.size(); ++h)
        out.add(m_heldKeys[h]);
    members.clear();
    out.finalize();
    return out;
}

QString MappingRun::holdNote(const RunPlan& plan, qint64 lastSize) const
{
    // Stored with the run, in English like the rest of its message.
    static const QLocale en(QLocale::English, QLocale::UnitedStates);
    QStringList notes;
    if (plan.accepted > 0)
        notes << QStringLiteral("applied %1 held exit%2")
                     .arg(en.toString(plan.accepted),
                          plan.accepted == 1 ? QString() : QStringLiteral("s"));
    if (plan.held > 0) {
        const QString share = QString::number(100.0 * double(plan.held) / double(lastSize), 'f', 1);
        const QString why = plan.holdReason == HoldReason::EmptySegment
                                ? QStringLiteral("the segment read empty")
                                : QStringLiteral("more than %1% of the cohort")
                                      .arg(m_planner.options().massExit.sharePercent);
        const bool dryRun = m_options.kind == RunKind::DryRun;
        notes << (dryRun ? QStringLiteral("would hold %1 exits (%2% of the %3 synced: %4)")
                         : QStringLiteral("held %1 exits (%2% of the %3 synced: %4); nobody was "
                                          "removed; apply them with `lockstep sync --mapping %5 "
                                          "--accept-exits` or on the Health page, or discard "
                                          "them there"))
                     .arg(en.toString(plan.held), share, en.toString(lastSize), why)
                     .arg(m_mapping.id);
    }
    return notes.join(QStringLiteral("; "));
}

void MappingRun::recordMismatches(std::shared_ptr<const IdentityResolver> resolver)
{
    const qint64 mappingId = m_mapping.id;
    const qint64 runId = m_run.id;
    write(
        [resolver, mappingId, runId](Workspace& ws) {
            const auto slice = [&resolver](qsizetype from, qsizetype count) {
                return resolver->mismatches(from, count);
            };
            return MismatchRepository(ws).replace(mappingId, runId, resolver->mismatchCount(),
                                                  slice);
        },
        [this](const Status& st) {
            perf("mismatches recorded");
            if (st.ok())
                return;
            if (m_phase == RunPhase::Finishing || m_phase == RunPhase::Done)
                qCWarning(lcSync) << "run" << m_run.id
                                  << "could not record its identity mismatches:"
                                  << st.error().toString();
            else
                fail(st.error());
        });
}

void MappingRun::write(std::function<Status(Workspace&)> job,
                       std::function<void(const Status&)> then)
{
    if (!m_writer) {
        then(job(m_ws));
        return;
    }
    ++m_writesPending;
    m_writer->submit(std::move(job), this, [this, then = std::move(then)](const Status& st) {
        --m_writesPending;
        then(st);
        onWritten();
    });
}

RunSnapshot::Write MappingRun::writeHook()
{
    return [this](std::function<Status(Workspace&)> job, std::function<void(const Status&)> then) {
        write(std::move(job), std::move(then));
    };
}

void MappingRun::onWritten()
{
    if (m_writesPending > 0)
        return;
    if (m_phase == RunPhase::Finishing)
        return record();
    pump();
}

void MappingRun::pump()
{
    if (canSend())
        m_sender->send();
    if (m_sender->inFlight() > 0 || m_phase == RunPhase::Finishing || m_phase == RunPhase::Done ||
        m_entryCheck->running())
        return;
    if (m_phase == RunPhase::Stopping) {
        if (m_parsesPending > 0)
            return; // onPageParsed() / onDiffed() come back here
        return conclude(*m_ending);
    }
    if (!planned()) {
        // Still reading (or listing holders, or diffing): more batches will come, unless
        // the run was asked to stop or a batch error halted sending.
        if (m_stopRequest == StopRequest::None && !m_sender->halted())
            return;
        return stop();
    }
    settle();
}

void MappingRun::runEntryCheck()
{
    if (m_options.deferVerification) {
        m_options.deferVerification(m_entryCheck->takeSample());
        return;
    }
    enterPhase(RunPhase::Verifying);
    perf("entry check started");
    m_entryCheck->run([this] {
        perf("entry check done");
        // Queued: the check may end inside run() (a skip), inside this function.
        QMetaObject::invokeMethod(
            this, [this] { pump(); }, Qt::QueuedConnection);
    });
}

void MappingRun::settle()
{
    const bool dryRun = m_options.kind == RunKind::DryRun;
    // Every batch answered: the entry check (Mixpanel's query API) starts beside the exit
    // lookups (Customer.io's), without waiting for the writer to record the answers.
    const BatchSender& sender = *m_sender;
    const bool allWell = !dryRun && sender.unsent() == 0 && m_stopRequest == StopRequest::None &&
                         !sender.halted() && !sender.firstError().isError() && sender.failed() == 0;
    if (allWell && sender.answered() == sender.planned() && m_entryCheck->pending())
        runEntryCheck();
    // Every batch acknowledged (recorded): the members are the snapshot now, written (by
    // the writer) while the exit lookups and the entry check, which change no
    // membership, are out.
    if (!m_snapshot.written() && allWell && sender.recorded() == sender.planned())
        m_snapshot.settle(m_run.id, withHeldExits(std::exchange(m_current, MemberSet())),
                          [this](qint64 n) { m_run.syncedCount = n; });
    if (m_entryCheck->running())
        return; // its end comes back here
    // The exit check is waited for unless the run is stopping (a dry run waits but for
    // a graceful stop: it shows what the lookups found); the writer always is.
    const bool waitForExits = dryRun ? m_stopRequest != StopRequest::Graceful
                                     : m_stopRequest == StopRequest::None && !sender.halted();
    if ((m_exitCheck && m_exitCheck->isRunning() && waitForExits) || m_writesPending > 0)
        return enterPhase(RunPhase::Settling); // onExitCheckDone() / onWritten() come back here
    const RunEnding ending = decideEnding(tally());
    if (ending.status == RunStatus::Succeeded && !dryRun && m_entryCheck->pending()) {
        runEntryCheck();
        if (m_entryCheck->running())
            return; // its end comes back here
    }
    conclude(ending);
}

void MappingRun::onAnswered()
{
    if (m_phase == RunPhase::Finishing || m_phase == RunPhase::Done)
        return;
    if (planned())
        report(QStringLiteral("sending"), m_sender->recorded(), m_sender->planned());
    pump();
}

void MappingRun::cancel()
{
    // Noticed at the next reply: the engine cancels the requests in flight.
    m_stopRequest = StopRequest::Cancel;
}

void MappingRun::stopGracefully()
{
    if (m_phase == RunPhase::Finishing || m_phase == RunPhase::Done ||
        m_phase == RunPhase::Stopping)
        return;
    if (m_stopRequest == StopRequest::None)
        m_stopRequest = StopRequest::Graceful;
    // Still reading: stop now; batches already in flight are answered and recorded, the
    // journal keeps the rest for the next run. Past the plan: nothing new is sent.
    if (!planned())
        return stop();
    if (m_sender->inFlight() == 0)
        pump();
}

void MappingRun::refuse(const SyncError& error)
{
    fail(error);
}

void MappingRun::stop(const SyncError& error)
{
    if (m_phase == RunPhase::Stopping || m_phase == RunPhase::Finishing ||
        m_phase == RunPhase::Done)
        return;
    if (error.isError())
        m_runError = error;
    m_ending = decideEnding(tally());
    enterPhase(RunPhase::Stopping);
    if (m_sender->inFlight() == 0 && m_parsesPending == 0)
        pump(); // finishes now
}

void MappingRun::fail(const SyncError& error)
{
    qCWarning(lcSync) << "run" << m_run.id << "failed:" << error.toString();
    stop(error);
}

void MappingRun::startExitCheck(const MemberSet& previous, const std::vector<uint32_t>& exited)
{
    if (m_options.exitCheckLimit <= 0 || exited.empty())
        return;
    m_exitCheck = new ExitCheck(m_cio, m_mapping.identity, this);
    QPointer<MappingRun> self(this);
    perf("exit check started");
    ExitCheckPlan plan;
    plan.limit = m_options.exitCheckLimit;
    plan.sample = std::min(m_options.exitCheckSample, m_options.exitCheckLimit);
    plan.seed = quint64(m_run.id);
    plan.contended = m_options.customerIoContended;
    m_exitCheck->start(previous, exited, std::move(plan), [self](const ExitCheckResult& r) {
        if (self)
            self->onExitCheckDone(r);
    });
}

void MappingRun::onExitCheckDone(const ExitCheckResult& result)
{
    if (m_phase == RunPhase::Finishing || m_phase == RunPhase::Done)
        return;
    const bool dryRun = m_options.kind == RunKind::DryRun;
    if (!dryRun && !planned()) {
        m_exitCheckWaiting = std::make_unique<ExitCheckResult>(result);
        return; // onDiffed() comes back here
    }
    perf("exit check done");
    m_run.exitsChecked = result.checked;
    m_run.exitsVanished = result.vanished;
    m_run.exitCheck = ExitCheckResult::extentName(result.extent);
    m_run.exitEstimate = result.estimate();
    if (dryRun || result.mismatches.isEmpty()) {
        m_exitNote = result.summary(false);
        return pump();
    }
    // Beside the resolver's mismatches of this run (written before, by the same writer).
    const qint64 mappingId = m_mapping.id;
    const qint64 runId = m_run.id;
    const QList<IdentityMismatch> vanished = result.mismatches;
    m_exitNote = result.summary(true);
    write([mappingId, runId, vanished](
              Workspace& ws) { return MismatchRepository(ws).append(mappingId, runId, vanished); },
          [this, result](const Status& st) {
              if (st.ok())
                  return;
              qCWarning(lcSync) << "could not record vanished members:" << st.error().toString();
              m_exitNote = result.summary(false);
          });
}

void MappingRun::conclude(const RunEnding& ending)
{
    if (m_phase == RunPhase::Finishing || m_phase == RunPhase::Done)
        return;
    m_ending = ending;
    enterPhase(RunPhase::Finishing);
    // The writer still has this run's rows or snapshot: the run ends when they are in.
    if (m_writesPending == 0)
        record();
}

void MappingRun::record()
{
    const RunEnding ending = *m_ending;
    const RunStatus status = ending.status;
    m_run.status = status;
    m_run.message = ending.message;
    if (!ending.errorCategory.isEmpty())
        m_run.errorCategory = ending.errorCategory;
    for (const QString& note : {m_holdNote, m_exitNote})
        if (!note.isEmpty())
            m_run.message += (m_run.message.isEmpty() ? QString() : QStringLiteral("; ")) + note;
    if (!m_options.note.isEmpty())
        m_run.message +=
            (m_run.message.isEmpty() ? QString() : QStringLiteral("; ")) + m_options.note;
    m_run.verification = m_entryCheck->result(m_run.kind, status);
    perf("sent");
    m_run.apiCalls = m_counters->requests;
    m_run.http429 = m_counters->http429;
    // What was journaled and never sent counts as failed; the next run sends it.
    m_run.failed = m_sender->failed() + m_sender->unsent();
    // Free the run's key copies before the snapshot is rebuilt.
    m_sender->clear();
    m_parser.waitForDone(); // a page may still be parsing when a run fails early
    m_resolver.reset();
    m_previous.reset();
    if (m_run.kind != RunKind::DryRun && m_run.id && !m_snapshot.written())
        m_snapshot.settleNow(m_run.id, withHeldExits(std::exchange(m_current, MemberSet())),
                             status == RunStatus::Succeeded && planned() && m_run.failed == 0 &&
                                 m_sender->recorded() == m_sender->planned(),
                             [this](qint64 n) { m_run.syncedCount = n; });
    m_current.clear();
    perf("snapshot written");
    // The run ends when its snapshot is written, not when the last reply came.
    m_run.finishedAtMs = m_clock->nowMs();
    if (m_run.kind == RunKind::Full && status == RunStatus::Succeeded)
        (void)m_snapshots.recordFullSync(m_mapping.id, m_run.finishedAtMs);
    if (m_run.id) {
        if (auto st = RunRepository(m_ws).finish(m_run); !st)
            qCWarning(lcSync) << "could not record run" << m_run.id << st.error().toString();
    }
    report(QStringLiteral("done"), m_sender->recorded(), m_sender->planned());
    qCInfo(lcSync) << "run" << m_run.id << runStatusName(status) << "entered" << m_run.entered
                   << "exited" << m_run.exited << "failed" << m_run.failed;
    enterPhase(RunPhase::Done);
    Q_EMIT finished(m_run);
}

} // namespace lockstep
