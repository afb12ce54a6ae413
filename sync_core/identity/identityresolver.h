// Turns Customer.io members into Mixpanel keys for one mapping: picks the chosen
// identifier, normalises it, and records every member that cannot be sent (and every
// key shared by several people) as an identity mismatch with a reason.
#pragma once

#include "members/identitykey.h"
#include "members/identitymismatch.h"
#include "members/memberidentifiers.h"
#include "members/memberset.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <array>
#include <mutex>
#include <optional>
#include <string>

namespace lockstep {

class IdentityResolver
{
public:
    static constexpr int kMaxKeyBytes = 255; // Mixpanel's distinct_id length limit

    explicit IdentityResolver(IdentityKey key, int keepMismatches = 100000);

    // The normalised key, or why there is none.
    struct Key
    {
        QString value;
        bool changedByNormalisation = false;
        std::optional<MismatchReason> problem;
    };
    static Key keyFor(IdentityKey key, const MemberIdentifiers& m);
    static bool isPlaceholder(const QString& normalised);
    static bool isPlausibleEmail(const QString& normalised);
    // What a member's entry in the MemberSet still tells about the person: the cio_id and
    // the identifier the key came from (its raw spelling when normalisation changed it).
    static MemberIdentifiers identifiersOf(IdentityKey key, std::string_view distinctId,
                                           std::string_view extra);

    // Appends the cio_id of a member's entry in the MemberSet (nothing when it carries
    // none, e.g. a snapshot's key read back without its identifiers).
    static void appendCioIdOf(QByteArray& out, IdentityKey key, std::string_view distinctId,
                              std::string_view extra);
    // The people (cio_ids joined by '\n') behind `members`, and `shared` (sharedPeople())
    // after them; a cio_id may appear twice.
    static QByteArray peopleOf(IdentityKey key, const MemberSet& members,
                               const QByteArray& shared = {});

    // Thread-safe: MappingRun feeds it from a QThreadPool whose threads may overlap.
    // Returns the member's key (empty when it cannot be sent); the view stays valid
    // until takeMembers() (the set's blocks never move).
    std::string_view add(const MemberIdentifiers& m);
    // A size hint (e.g. the last run's segment count) so the set grows without copies.
    void reserve(size_t members);
    // Sorts the keys added since the last call (one page) so takeMembers() only merges;
    // `visit` sees them in order first (see MemberSet::sealRun).
    void sealRun(const std::function<void(std::string_view)>& visit = {});
    // Finishes: sorts and dedups the keys, records shared keys. Call once.
    MemberSet takeMembers();

    // After takeMembers(): the cio_ids of everyone behind a key several people share
    // (the set keeps one entry, and so one cio_id, a key), joined by '\n'.
    const QByteArray& sharedPeople() const { return m_sharedPeople; }

    qint64 total() const { return m_total; }
    // Members that could not be sent (warnings excluded).
    qint64 unmatched() const { return m_unmatched; }
    qint64 count(MismatchReason r) const { return m_counts[size_t(r)]; }
    double matchRate() const { return m_total ? double(m_total - m_unmatched) / m_total : 1.0; }
    // The recorded mismatches (up to the keep limit), in the order found. Built on each
    // call from a compact store: keep the list rather than calling again.
    QList<IdentityMismatch> mismatches() const { return mismatches(0, mismatchCount()); }
    QList<IdentityMismatch> mismatches(qsizetype from, qsizetype count) const;
    qsizetype mismatchCount() const { return qsizetype(m_stored.size()); }

private:
    void record(IdentityMismatch m);
    // The common case without QString temporaries: an ASCII key that needs no mismatch
    // record. Fills m_key8/m_extra8 and returns true; false sends add() to keyFor().
    bool addAsciiFast(const MemberIdentifiers& m);

    IdentityKey m_key;
    int m_keep;
    MemberSet m_members;
    // Mismatches as UTF-8 in one buffer (cio_id, id, e-mail, key back to back): a big
    // e-mail segment has tens of thousands, and as QStrings they cost ~300 bytes each at
    // the run's memory peak.
    struct StoredMismatch
    {
        uint32_t offset;
        uint16_t cioLen, idLen, emailLen, keyLen;
        MismatchReason reason;
        bool hasId, hasEmail;
    };
    std::vector<StoredMismatch> m_stored;
    std::string m_mismatchText;
    std::array<qint64, kMismatchReasonCount> m_counts{};
    qint64 m_total = 0;
    qint64 m_unmatched = 0;
    std::mutex m_mutex;
    std::string m_key8, m_extra8, m_cio8; // scratch for addAsciiFast (under m_mutex)
    QByteArray m_sharedPeople;
};

} // namespace lockstep
