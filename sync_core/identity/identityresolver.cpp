#include "identityresolver.h"

#include <QRegularExpression>

namespace lockstep {

namespace {
// A member's "extra" text: its cio_id, then (when normalisation changed the key) kSep and
// the raw spelling. A cio_id in lower-case hex of even length, as Customer.io issues
// them, is packed as its bytes after a length byte (1..kMaxPackedCio): 9 bytes instead
// of 16 for a 16-digit id, a million times over. Any other cio_id is kept as text,
// after kRawCio when it would begin with a byte that reads as a length.
constexpr char kSep = '\x1f';
constexpr char kRawCio = '\x1d';
constexpr size_t kMaxPackedCio = 28;

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

template <typename Out> void appendCioId(Out& out, std::string_view cio)
{
    bool packable = !cio.empty() && cio.size() % 2 == 0 && cio.size() / 2 <= kMaxPackedCio;
    for (size_t i = 0; packable && i < cio.size(); ++i)
        packable = hexDigit(cio[i]) >= 0;
    if (packable) {
        char buf[1 + kMaxPackedCio];
        buf[0] = char(cio.size() / 2);
        for (size_t i = 0; i < cio.size(); i += 2)
            buf[1 + i / 2] = char(hexDigit(cio[i]) << 4 | hexDigit(cio[i + 1]));
        out.append(buf, 1 + cio.size() / 2);
        return;
    }
    if (!cio.empty() && static_cast<unsigned char>(cio[0]) <= kMaxPackedCio + 1)
        out.append(&kRawCio, 1);
    out.append(cio.data(), cio.size());
}

struct ExtraParts
{
    QString cioId;
    std::optional<QString> raw; // the raw spelling, when normalisation changed the key
};

ExtraParts splitExtra(std::string_view extra)
{
    ExtraParts parts;
    size_t pos = 0;
    const auto len = extra.empty() ? 0u : size_t(static_cast<unsigned char>(extra[0]));
    if (len >= 1 && len <= kMaxPackedCio && extra.size() >= 1 + len) {
        static const char hex[] = "0123456789abcdef";
        QString cio(qsizetype(2 * len), Qt::Uninitialized);
        for (size_t i = 0; i < len; ++i) {
            const auto b = static_cast<unsigned char>(extra[1 + i]);
            cio[qsizetype(2 * i)] = QLatin1Char(hex[b >> 4]);
            cio[qsizetype(2 * i + 1)] = QLatin1Char(hex[b & 0xf]);
        }
        parts.cioId = cio;
        pos = 1 + len;
    } else {
        const size_t start = !extra.empty() && extra[0] == kRawCio ? 1 : 0;
        const size_t sep = extra.find(kSep, start);
        pos = sep == std::string_view::npos ? extra.size() : sep;
        parts.cioId = QString::fromUtf8(extra.data() + start, qsizetype(pos - start));
    }
    if (pos < extra.size() && extra[pos] == kSep)
        parts.raw = QString::fromUtf8(extra.data() + pos + 1, qsizetype(extra.size() - pos - 1));
    return parts;
}
} // namespace

IdentityResolver::IdentityResolver(IdentityKey key, int keepMismatches)
    : m_key(key), m_keep(keepMismatches)
{}

bool IdentityResolver::isPlaceholder(const QString& v)
{
    static const QStringList placeholders = {
        QStringLiteral("null"),
        QStringLiteral("undefined"),
        QStringLiteral("none"),
        QStringLiteral("nil"),
        QStringLiteral("nan"),
        QStringLiteral("0"),
        QStringLiteral("-1"),
        QStringLiteral("anon"),
        QStringLiteral("anonymous"),
        QStringLiteral("false"),
        QStringLiteral("[]"),
        QStringLiteral("{}"),
        QStringLiteral("00000000-0000-0000-0000-000000000000")};
    return placeholders.contains(v.toLower());
}

bool IdentityResolver::isPlausibleEmail(const QString& v)
{
    // Deliberately loose: one @, something before it, a dotted domain, no spaces.
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$"));
    return re.match(v).hasMatch();
}

IdentityResolver::Key IdentityResolver::keyFor(IdentityKey key, const MemberIdentifiers& m)
{
    Key k;
    std::optional<QString> raw;
    switch (key) {
    case IdentityKey::Id:
        raw = m.id;
        break;
    case IdentityKey::Email:
        raw = m.email;
        break;
    case IdentityKey::CioId:
        raw = m.cioId;
        break;
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

void IdentityResolver::appendCioIdOf(QByteArray& out, IdentityKey key, std::string_view distinctId,
                                     std::string_view extra)
{
    // An empty extra is a cio_id key stored without its copy (addAsciiFast).
    if (extra.empty()) {
        if (key == IdentityKey::CioId)
            out.append(distinctId.data(), qsizetype(distinctId.size()));
        return;
    }
    const auto len = size_t(static_cast<unsigned char>(extra[0]));
    if (len >= 1 && len <= kMaxPackedCio && extra.size() >= 1 + len) {
        static const char hex[] = "0123456789abcdef";
        for (size_t i = 0; i < len; ++i) {
            const auto b = static_cast<unsigned char>(extra[1 + i]);
            out += hex[b >> 4];
            out += hex[b & 0xf];
        }
        return;
    }
    const size_t start = extra[0] == kRawCio ? 1 : 0;
    size_t end = extra.find(kSep, start);
    if (end == std::string_view::npos)
        end = extra.size();
    out.append(extra.data() + start, qsizetype(end - start));
}

QByteArray IdentityResolver::peopleOf(IdentityKey key, const MemberSet& members,
                                      const QByteArray& shared)
{
    QByteArray out;
    // About a cio_id's worth a member: one allocation for a typical set.
    out.reserve(qsizetype(members.size()) * 17 + shared.size() + 1);
    for (size_t i = 0; i < members.size(); ++i) {
        const qsizetype before = out.size();
        if (before > 0)
            out += '\n';
        const qsizetype mark = out.size();
        appendCioIdOf(out, key, members.key(i), members.extra(i));
        if (out.size() == mark)
            out.truncate(before); // no cio_id known: no line
    }
    if (!shared.isEmpty()) {
        if (!out.isEmpty())
            out += '\n';
        out += shared;
    }
    return out;
}

MemberIdentifiers IdentityResolver::identifiersOf(IdentityKey key, std::string_view distinctId,
                                                  std::string_view extra)
{
    const QString k = QString::fromUtf8(distinctId.data(), qsizetype(distinctId.size()));
    MemberIdentifiers m;
    // An empty extra is a cio_id key stored without its copy (addAsciiFast).
    const ExtraParts parts = splitExtra(extra);
    m.cioId = extra.empty() && key == IdentityKey::CioId ? k : parts.cioId;
    const QString raw = parts.raw.value_or(k);
    if (key == IdentityKey::Id)
        m.id = raw;
    else if (key == IdentityKey::Email)
        m.email = raw;
    return m;
}

void IdentityResolver::record(IdentityMismatch m)
{
    ++m_counts[size_t(m.reason)];
    if (!mismatchIsWarning(m.reason))
        ++m_unmatched;
    if (qsizetype(m_stored.size()) >= m_keep)
        return;
    const auto put = [this](const QString& text) {
        // Mixpanel keys and Customer.io identifiers are far below 64 KiB; cut, not wrap.
        const QByteArray u = text.toUtf8().left(0xffff);
        m_mismatchText.append(u.constData(), size_t(u.size()));
        return uint16_t(u.size());
    };
    StoredMismatch s{};
    if (m_mismatchText.size() > 0xffff0000u)
        return; // 4 GiB of mismatch text: keep counting, stop keeping
    s.offset = uint32_t(m_mismatchText.size());
    s.reason = m.reason;
    s.cioLen = put(m.cioId);
    s.hasId = m.personId.has_value();
    s.idLen = s.hasId ? put(*m.personId) : 0;
    s.hasEmail = m.email.has_value();
    s.emailLen = s.hasEmail ? put(*m.email) : 0;
    s.keyLen = put(m.distinctId);
    m_stored.push_back(s);
}

QList<IdentityMismatch> IdentityResolver::mismatches(qsizetype from, qsizetype count) const
{
    QList<IdentityMismatch> out;
    from = std::clamp<qsizetype>(from, 0, mismatchCount());
    const qsizetype to = from + std::clamp<qsizetype>(count, 0, mismatchCount() - from);
    out.reserve(to - from);
    for (qsizetype i = from; i < to; ++i) {
        const StoredMismatch& s = m_stored[size_t(i)];
        const char* at = m_mismatchText.data() + s.offset;
        const auto take = [&at](uint16_t len) {
            QString text = QString::fromUtf8(at, len);
            at += len;
            return text;
        };
        IdentityMismatch m;
        m.reason = s.reason;
        m.cioId = take(s.cioLen);
        if (s.hasId)
            m.personId = take(s.idLen);
        if (s.hasEmail)
            m.email = take(s.emailLen);
        m.distinctId = take(s.keyLen);
        out.append(std::move(m));
    }
    return out;
}

namespace {
// QChar::isSpace for ASCII: what QString::trimmed() strips (and \s in the e-mail regex).
bool asciiSpace(char16_t c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// The placeholders of isPlaceholder(), for an already lower-cased ASCII key.
bool asciiPlaceholder(std::string_view v)
{
    static constexpr std::string_view kPlaceholders[] = {"null",
                                                         "undefined",
                                                         "none",
                                                         "nil",
                                                         "nan",
                                                         "0",
                                                         "-1",
                                                         "anon",
                                                         "anonymous",
                                                         "false",
                                                         "[]",
                                                         "{}",
                                                         "00000000-0000-0000-0000-000000000000"};
    if (v.size() > 36)
        return false;
    for (std::string_view p : kPlaceholders)
        if (v == p)
            return true;
    return false;
}

// isPlausibleEmail()'s regex ^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$ on ASCII without spaces
// or control characters (the caller has excluded them).
bool asciiPlausibleEmail(std::string_view v)
{
    const size_t at = v.find('@');
    if (at == 0 || at == std::string_view::npos || v.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view domain = v.substr(at + 1);
    if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return false;
    return domain.find('.') != std::string_view::npos;
}

// Appends an ASCII QString as bytes; false (and nothing reliable appended) otherwise.
bool appendAscii(std::string& out, const QString& s)
{
    const char16_t* p = reinterpret_cast<const char16_t*>(s.utf16());
    const size_t n = size_t(s.size());
    const size_t base = out.size();
    out.resize(base + n);
    for (size_t i = 0; i < n; ++i) {
        if (p[i] >= 0x80)
            return false;
        out[base + i] = char(p[i]);
    }
    return true;
}
} // namespace

bool IdentityResolver::addAsciiFast(const MemberIdentifiers& m)
{
    const std::optional<QString>& raw = m_key == IdentityKey::Id ? m.id
                                        : m_key == IdentityKey::Email
                                            ? m.email
                                            : std::optional<QString>(std::nullopt);
    const QString& rawText = m_key == IdentityKey::CioId ? m.cioId : (raw ? *raw : m.cioId);
    if (m_key != IdentityKey::CioId && !raw)
        return false; // missing key: the slow path records it
    // keyFor()'s trim, lower-casing and checks, byte by byte; anything unusual (non-ASCII,
    // control characters, too long, not a key we would send) goes the slow way.
    const char16_t* p = reinterpret_cast<const char16_t*>(rawText.utf16());
    size_t b = 0, e = size_t(rawText.size());
    while (b < e && asciiSpace(p[b]))
        ++b;
    while (e > b && asciiSpace(p[e - 1]))
        --e;
    if (b == e || e - b > size_t(kMaxKeyBytes))
        return false;
    m_key8.resize(e - b);
    bool changed = b != 0 || e != size_t(rawText.size());
    const bool lower = m_key == IdentityKey::Email;
    for (size_t i = b; i < e; ++i) {
        char16_t c = p[i];
        if (c >= 0x7f || c < 0x20)
            return false; // non-ASCII, DEL or a control character
        if (lower && c >= 'A' && c <= 'Z') {
            c = char16_t(c - 'A' + 'a');
            changed = true;
        }
        m_key8[i - b] = char(c);
    }
    if (lower) {
        if (m_key8.find(' ') != std::string::npos || !asciiPlausibleEmail(m_key8))
            return false;
    } else {
        // isPlaceholder() compares case-insensitively.
        std::string folded = m_key8.size() <= 36 ? m_key8 : std::string();
        for (char& c : folded)
            if (c >= 'A' && c <= 'Z')
                c = char(c - 'A' + 'a');
        if (asciiPlaceholder(folded))
            return false;
    }
    // The extra text as the slow path builds it: cio_id, then the raw spelling when
    // normalisation changed it. When the key is the cio_id itself, unchanged, the extra
    // is left empty (takeMembers() reads the key instead): 16+ bytes less per member.
    // A cio_id key that trimming changed keeps the slow path's exact extra text.
    if (m_key == IdentityKey::CioId && changed)
        return false;
    m_extra8.clear();
    if (m_key != IdentityKey::CioId) {
        m_cio8.clear();
        if (!appendAscii(m_cio8, m.cioId)) {
            const QByteArray cio = m.cioId.toUtf8();
            m_cio8.assign(cio.constData(), size_t(cio.size()));
        }
        appendCioId(m_extra8, m_cio8);
        if (changed) {
            m_extra8 += kSep;
            appendAscii(m_extra8, *raw); // ASCII: checked above
        }
    }
    m_members.add(m_key8, m_extra8);
    return true;
}

std::string_view IdentityResolver::add(const MemberIdentifiers& m)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    ++m_total;
    if (addAsciiFast(m))
        return m_members.key(m_members.size() - 1);
    const Key k = keyFor(m_key, m);
    if (k.problem) {
        record({*k.problem, m.cioId, m.id, m.email, k.value});
        return {};
    }
    // Keep what a report of a shared key needs, and no more (this is per member):
    // the cio_id, and the raw spelling when normalisation changed it.
    QByteArray extra;
    const QByteArray cio = m.cioId.toUtf8();
    appendCioId(extra, std::string_view(cio.constData(), size_t(cio.size())));
    if (k.changedByNormalisation) {
        const std::optional<QString>& raw = m_key == IdentityKey::Id ? m.id : m.email;
        extra += kSep;
        extra += raw ? raw->toUtf8() : QByteArray();
    }
    const QByteArray key = k.value.toUtf8();
    m_members.add(std::string_view(key.constData(), size_t(key.size())),
                  std::string_view(extra.constData(), size_t(extra.size())));
    return m_members.key(m_members.size() - 1);
}

void IdentityResolver::sealRun(const std::function<void(std::string_view)>& visit)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_members.sealRun(visit);
}

void IdentityResolver::reserve(size_t members)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_members.reserve(members);
}

MemberSet IdentityResolver::takeMembers()
{
    m_members.finalize([this](std::string_view key, const std::vector<std::string_view>& extras) {
        const QString distinctId = QString::fromUtf8(key.data(), qsizetype(key.size()));
        const QByteArray key8(key.data(), qsizetype(key.size()));
        struct Person
        {
            QString cioId;
            QString raw;
        };
        QList<Person> people;
        bool oneSpelling = true;
        for (auto e : extras) {
            // An empty extra is a cio_id key stored without its copy (addAsciiFast).
            const ExtraParts parts = splitExtra(e);
            Person p;
            p.cioId = e.empty() && m_key == IdentityKey::CioId ? distinctId : parts.cioId;
            p.raw = parts.raw.value_or(distinctId);
            if (!people.isEmpty() && people.first().raw != p.raw)
                oneSpelling = false;
            // Every person behind a shared key is in the cohort: overlap by person
            // counts them all, not only the one the set keeps.
            if (!p.cioId.isEmpty()) {
                if (!m_sharedPeople.isEmpty())
                    m_sharedPeople += '\n';
                m_sharedPeople += p.cioId.toUtf8();
            }
            people.append(p);
        }
        const MismatchReason reason =
            oneSpelling ? MismatchReason::DuplicateKey : MismatchReason::NormalisationCollision;
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
