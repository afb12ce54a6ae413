#include "customerindex.h"

#include <QString>

#include <algorithm>

namespace lockstep::sandbox {

std::string CustomerIndex::normaliseEmail(QByteArrayView email)
{
    const QByteArray n = QString::fromUtf8(email).trimmed().toLower().toUtf8();
    return std::string(n.constData(), std::size_t(n.size()));
}

void CustomerIndex::build()
{
    m_built = true;
    const std::uint32_t n = m_population.size();
    m_byId.reserve(n);
    m_byCio.reserve(n);
    m_byEmail.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const Person& p = m_population.person(i);
        if (p.id != StringPool::kNone)
            m_byId.emplace(p.id, i);
        m_byCio.emplace(p.cioId, i);
        if (p.email != StringPool::kNone)
            m_byEmail.emplace(normaliseEmail(m_population.text(p.email)), i);
    }
}

std::vector<std::uint32_t> CustomerIndex::find(IdType type, QByteArrayView value)
{
    if (!m_built)
        build();
    std::vector<std::uint32_t> out;
    auto collect = [&out](auto range) {
        for (auto it = range.first; it != range.second; ++it)
            out.push_back(it->second);
    };
    if (type == IdType::Email) {
        collect(m_byEmail.equal_range(normaliseEmail(value)));
    } else {
        const std::uint32_t sid = m_population.strings().find(value);
        if (sid != StringPool::kNone)
            collect(type == IdType::Id ? m_byId.equal_range(sid) : m_byCio.equal_range(sid));
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace lockstep::sandbox
