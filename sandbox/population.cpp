#include "population.h"

#include "prng.h"

#include <array>

namespace lockstep::sandbox {
namespace {

constexpr std::array<const char*, 16> kFirst = {"ada",   "ben",  "chloe", "dan",  "emma", "finn",
                                                "grace", "hugo", "iris",  "jack", "kate", "liam",
                                                "mia",   "noah", "olga",  "paul"};
constexpr std::array<const char*, 12> kLast = {"smith",  "jones", "brown",  "garcia",
                                               "muller", "rossi", "dubois", "silva",
                                               "khan",   "novak", "tanaka", "ivanova"};
constexpr std::array<const char*, 5> kDomains = {"example.com", "mail.test", "shop.example",
                                                 "inbox.test", "corp.example"};
// What broken integrations put into the id field.
constexpr std::array<const char*, 6> kPlaceholders = {
    "null", "0", "undefined", "-1", "anon", "00000000-0000-0000-0000-000000000000"};

std::uint64_t mix(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

QByteArray hex16(std::uint64_t v)
{
    QByteArray out = QByteArray::number(qulonglong(v), 16);
    return QByteArray(16 - out.size(), '0') + out;
}

// "  Jane.Doe12@Example.COM " : upper-case letters and stray spaces around it.
QByteArray messUp(QByteArrayView email, Prng& prng)
{
    QByteArray out = email.toByteArray();
    for (char& c : out) {
        if (c >= 'a' && c <= 'z' && prng.chance(0.35))
            c = char(c - 'a' + 'A');
    }
    if (out == email.toByteArray() && !out.isEmpty())
        out[0] = char(std::toupper(static_cast<unsigned char>(out[0])));
    return QByteArray(" ") + out + QByteArray(prng.chance(0.5) ? "  " : " ");
}

} // namespace

std::uint32_t Population::add(const PersonSpec& spec)
{
    Person p;
    if (spec.id)
        p.id = m_strings.intern(QByteArrayView(spec.id->toUtf8()));
    if (spec.email)
        p.email = m_strings.intern(QByteArrayView(spec.email->toUtf8()));
    const QByteArray cio = spec.cioId
                               ? spec.cioId->toUtf8()
                               : QByteArray("x") + hex16(mix(0xC10 + m_people.size())).left(15);
    p.cioId = m_strings.intern(cio);
    m_people.push_back(p);
    return std::uint32_t(m_people.size() - 1);
}

void Population::build(const Scenario& scenario, Prng& prng)
{
    m_people.reserve(std::size_t(scenario.people.size() + scenario.populationSize));
    for (const PersonSpec& spec : scenario.people)
        add(spec);
    generate(scenario, prng);
}

void Population::generate(const Scenario& scenario, Prng& prng)
{
    const auto& a = scenario.anomalies;
    const std::uint32_t first = size();
    const std::uint64_t salt = mix(scenario.seed * 0x9E3779B97F4A7C15ull + 1);
    for (qint64 i = 0; i < scenario.populationSize; ++i) {
        Person p;
        // mix() is a bijection, so cio_ids are unique without a lookup.
        p.cioId = m_strings.intern(hex16(mix(salt + std::uint64_t(i))));
        if (prng.chance(a.missingId))
            p.id = StringPool::kNone;
        else if (prng.chance(a.placeholderId))
            p.id = m_strings.intern(kPlaceholders[prng.below(kPlaceholders.size())]);
        else
            p.id = m_strings.intern(QByteArray::number(1000000 + i));

        if (prng.chance(a.missingEmail)) {
            p.email = StringPool::kNone;
        } else if (i > 0 && prng.chance(a.duplicateEmail)) {
            // Share the e-mail of someone generated earlier (who has one).
            std::uint32_t other = first + std::uint32_t(prng.below(std::uint64_t(i)));
            p.email = m_people[other].email != StringPool::kNone
                          ? m_people[other].email
                          : m_strings.intern(QByteArray(QByteArray("dup") + QByteArray::number(i) +
                                                        "@example.com"));
        } else {
            QByteArray email = QByteArray(kFirst[prng.below(kFirst.size())]) + '.' +
                               kLast[prng.below(kLast.size())] + QByteArray::number(i) + '@' +
                               kDomains[prng.below(kDomains.size())];
            if (prng.chance(a.mixedCaseEmail))
                email = messUp(email, prng);
            p.email = m_strings.intern(email);
        }
        m_people.push_back(p);
    }

    // Merges: distinct secondaries, each folded into a primary that is not merged itself.
    const std::uint32_t generated = size() - first;
    const auto merges = std::uint32_t(a.merged * generated);
    std::vector<bool> taken(generated, false);
    for (std::uint32_t m = 0; m < merges && generated >= 2; ++m) {
        std::uint32_t secondary = 0;
        std::uint32_t primary = 0;
        int guard = 0;
        do {
            secondary = std::uint32_t(prng.below(generated));
            primary = std::uint32_t(prng.below(generated));
        } while ((taken[secondary] || taken[primary] || secondary == primary) && ++guard < 64);
        if (guard >= 64)
            break;
        taken[secondary] = taken[primary] = true;
        m_merges.emplace_back(first + secondary, first + primary);
    }
}

std::uint32_t Population::findByKey(QByteArrayView key) const
{
    const std::uint32_t sid = m_strings.find(key);
    if (sid == StringPool::kNone)
        return kNoPerson;
    for (auto field : {&Person::cioId, &Person::id, &Person::email}) {
        for (std::uint32_t i = 0; i < size(); ++i) {
            if (m_people[i].*field == sid)
                return i;
        }
    }
    return kNoPerson;
}

} // namespace lockstep::sandbox
