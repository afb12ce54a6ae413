#include "customerindex.h"

#include <QString>

#include <algorithm>

namespace lockstep::sandbox {

std::string CustomerIndex::normaliseEmail(QByteArrayView email)
{
    // ASCII (nearly every address): trim and lower-case the bytes; otherwise Unicode rules.
    bool ascii = true;
    for (const char c : email)
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (!ascii) {
        const QByteArray n = QString::fromUtf8(email).trimmed().toLower().toUtf8();
        return std::string(n.constData(), std::size_t(n.size()));
    }
    qsizetype from = 0, to = email.size();
    const auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    while (from < to && space(email[from]))
        ++from;
    while (to > from && space(email[to - 1]))
        --to;
    std::string out(email.data() + from, std::size_t(to - from));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

namespace {
std::uint64_t emailHash(const std::string& normalised)
{
    return std::hash<std::string>{}(normalised);
}
} // namespace

const CustomerIndex::Index& CustomerIndex::index(IdType type)
{
    const int t = int(type);
    Index& idx = m_indexes[t];
    if (m_built[t])
        return idx;
    m_built[t] = true;
    const std::uint32_t n = m_population.size();
    idx.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const Person& p = m_population.person(i);
        switch (type) {
        case IdType::Id:
            if (p.id != StringPool::kNone)
                idx.emplace_back(p.id, i);
            break;
        case IdType::CioId:
            idx.emplace_back(p.cioId, i);
            break;
        case IdType::Email:
            if (p.email != StringPool::kNone)
                idx.emplace_back(emailHash(normaliseEmail(m_population.text(p.email))), i);
            break;
        }
    }
    std::sort(idx.begin(), idx.end());
    return idx;
}

void CustomerIndex::buildAll()
{
    for (const IdType type : {IdType::Id, IdType::Email, IdType::CioId})
        (void)index(type);
}

std::vector<std::uint32_t> CustomerIndex::find(IdType type, QByteArrayView value)
{
    std::vector<std::uint32_t> out;
    std::uint64_t key = 0;
    std::string wanted;
    if (type == IdType::Email) {
        wanted = normaliseEmail(value);
        key = emailHash(wanted);
    } else {
        const std::uint32_t sid = m_population.strings().find(value);
        if (sid == StringPool::kNone)
            return out;
        key = sid;
    }
    const Index& idx = index(type);
    auto it = std::lower_bound(idx.begin(), idx.end(), std::make_pair(key, std::uint32_t(0)));
    for (; it != idx.end() && it->first == key; ++it) {
        // Hashes of e-mails can collide: compare the addresses themselves.
        if (type == IdType::Email &&
            normaliseEmail(m_population.text(m_population.person(it->second).email)) != wanted)
            continue;
        out.push_back(it->second);
    }
    return out; // sorted by key, then person: in person order
}

} // namespace lockstep::sandbox
