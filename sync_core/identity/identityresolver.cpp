#include "identityresolver.h"

#include <QRegularExpression>

namespace lockstep {

namespace {
const char* const kReasonNames[kMismatchReasonCount] = {
    "missing_key", "invalid_email", "placeholder_id", "invalid_key",
    "duplicate_key", "normalisation_collision", "vanished_after_merge", "unknown_to_mixpanel"};

// Separates the Customer.io identifiers packed into a member's "extra" text.
constexpr char kSep = '\x1f';
} // namespace

QString mismatchReasonName(MismatchReason r)
{
    return QString::fromLatin1(kReasonNames[int(r)]);
}

std::optional<MismatchReason> parseMismatchReason(const QString& s)
{
    for (int i = 0; i < kMismatchReasonCount; ++i)
        if (s == QLatin1String(kReasonNames[i]))
            return MismatchReason(i);
    return std::nullopt;
}

bool mismatchIsWarning(MismatchReason r)
{
    return r == MismatchReason::DuplicateKey || r == MismatchReason::NormalisationCollision;
}

IdentityResolver::IdentityResolver(IdentityKey key, int keepMismatches)
    : m_key(key), m_keep(keepMismatches)
{
}

bool IdentityResolver::isPlaceholder(const QString& v)
{
    static const QStringList placeholders = {
        QStringLiteral("null"),      QStringLiteral("undefined"), QStringLiteral("none"),
        QStringLiteral("nil"),       QStringLiteral("nan"),       QStringLiteral("0"),
        QStringLiteral("-1"),        QStringLiteral("anon"),      QStringLiteral("anonymous"),
        QStringLiteral("false"),     QStringLiteral("[]"),        QStringLiteral("{}"),
        QStringLiteral("00000000-0000-0000-0000-000000000000")};
    return placeholders.contains(v.toLower());
}

bool IdentityResolver::isPlausibleEmail(const QString& v)
{
    // Deliberately loose: one @, something before it, a dotted domain, no spaces.
    static const QRegularExpression re(
        QStringLiteral("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$"));
    return re.match(v).hasMatch();
}

IdentityResolver::Key IdentityResolver::keyFor(IdentityKey key, const MemberIdentifiers& m)
{
    Key k;
    std::optional<QString> raw;
    switch (key) {
    case IdentityKey::Id: raw = m.id; break;
    case IdentityKey::Email: raw = m.email; break;
    case IdentityKey::CioId: raw = m.cioId; break;
    }
    if (!raw || raw->trimmed().isEmpty()) {
        k.problem = MismatchReason::MissingKey;
        return k;
    }
    QString v = raw->trimmed();
    if (key == IdentityKey::Email)
        v = v.toLower();
    k.changedByNormalisation = v != *raw;
    k.value = v;
    for (const QChar c : v) {
        if (c.category() == QChar::Other_Control || c.isNonCharacter()) {
            k.problem = MismatchReason::InvalidKey;
            return k;
        }
    }
    if (v.toUtf8().size() > kMaxKeyBytes) {
        k.problem = MismatchReason::InvalidKey;
        return k;
    }
    if (key == IdentityKey::Email) {
        if (!isPlausibleEmail(v))
            k.problem = MismatchReason::InvalidEmail;
    } else if (isPlaceholder(v)) {
        k.problem = MismatchReason::PlaceholderId;
    }
    return k;
}

void IdentityResolver::record(IdentityMismatch m)
{
    ++m_counts[size_t(m.reason)];
    if (!mismatchIsWarning(m.reason))
        ++m_unmatched;
    if (m_mismatches.size() < m_keep)
        m_mismatches.append(std::move(m));
}

void IdentityResolver::add(const MemberIdentifiers& m)
{
    ++m_total;
    const Key k = keyFor(m_key, m);
    if (k.problem) {
        record({*k.problem, m.cioId, m.id, m.email, k.value});
        return;
    }
    // Keep what a report of a shared key needs, and no more (this is per member):
    // the cio_id, and the raw spelling when normalisation changed it.
    QByteArray extra = m.cioId.toUtf8();
    if (k.changedByNormalisation) {
        const std::optional<QString>& raw = m_key == IdentityKey::Id ? m.id : m.email;
        extra += kSep;
        extra += raw ? raw->toUtf8() : QByteArray();
    }
    const QByteArray key = k.value.toUtf8();
    m_members.add(std::string_view(key.constData(), size_t(key.size())),
                  std::string_view(extra.constData(), size_t(extra.size())));
}

MemberSet IdentityResolver::takeMembers()
{
    m_members.finalize([this](std::string_view key, const std::vector<std::string_view>& extras) {
        const QString distinctId = QString::fromUtf8(key.data(), qsizetype(key.size()));
        struct Person { QString cioId; QString raw; };
        QList<Person> people;
        bool oneSpelling = true;
        for (auto e : extras) {
            const QByteArray bytes(e.data(), qsizetype(e.size()));
            const int sep = bytes.indexOf(kSep);
            Person p;
            p.cioId = QString::fromUtf8(sep < 0 ? bytes : bytes.left(sep));
            p.raw = sep < 0 ? distinctId : QString::fromUtf8(bytes.mid(sep + 1));
            if (!people.isEmpty() && people.first().raw != p.raw)
                oneSpelling = false;
            people.append(p);
        }
        const MismatchReason reason = oneSpelling ? MismatchReason::DuplicateKey
                                                  : MismatchReason::NormalisationCollision;
        for (const Person& p : people) {
            IdentityMismatch m;
            m.reason = reason;
            m.distinctId = distinctId;
            m.cioId = p.cioId;
            if (m_key == IdentityKey::Id)
                m.personId = p.raw;
            else if (m_key == IdentityKey::Email)
                m.email = p.raw;
            record(std::move(m));
        }
    });
    return std::move(m_members);
}

} // namespace lockstep
