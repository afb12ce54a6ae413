#include "memberset.h"

#include <algorithm>
#include <cstring>

namespace lockstep {

void MemberSet::reserve(size_t members, size_t /*bytes*/)
{
    m_refs.reserve(members);
}

void MemberSet::clear()
{
    m_blocks.clear();
    m_blocks.shrink_to_fit();
    m_used = 0;
    m_blob = QByteArray();
    m_refs.clear();
    m_refs.shrink_to_fit();
    m_offsets.clear();
    m_offsets.shrink_to_fit();
    m_runStarts.clear();
    m_sealed = 0;
    m_sorted = true;
}

void MemberSet::detachFromBlob()
{
    // Rare (a snapshot view that is then added to): copy its keys into blocks.
    if (!m_offsets.empty()) {
        std::vector<Ref> refs;
        refs.reserve(m_offsets.size());
        for (size_t i = 0; i < m_offsets.size(); ++i) {
            Ref r;
            r.offset = m_offsets[i];
            r.keyLen = key(i).size();
            r.extraLen = 0;
            refs.push_back(r);
        }
        m_offsets.clear();
        m_offsets.shrink_to_fit();
        m_refs.swap(refs);
    }
    const QByteArray blob = m_blob;
    std::vector<Ref> refs;
    refs.swap(m_refs);
    m_blob = QByteArray();
    m_runStarts.clear();
    m_sealed = 0;
    m_sorted = true;
    m_refs.reserve(refs.size());
    for (const Ref r : refs)
        add(std::string_view(blob.constData() + r.offset, r.keyLen),
            std::string_view(blob.constData() + r.offset + r.keyLen, r.extraLen));
}

void MemberSet::add(std::string_view key, std::string_view extra)
{
    if (!m_blob.isNull())
        detachFromBlob();
    key = key.substr(0, kMaxKeyBytes);
    extra = extra.substr(0, kMaxExtraBytes);
    const size_t need = key.size() + extra.size();
    if (m_blocks.empty() || size_t(m_blocks.back().size()) - m_used < need) {
        // Blocks double from 4 KiB to 1 MiB: small sets stay small, big ones never copy.
        size_t capacity =
            m_blocks.empty() ? 4096 : std::min(kBlockBytes, 2 * size_t(m_blocks.back().size()));
        while (capacity < need)
            capacity *= 2;
        m_blocks.emplace_back(qsizetype(std::min(capacity, kBlockBytes)), Qt::Uninitialized);
        m_used = 0;
    }
    char* out = m_blocks.back().data() + m_used;
    std::copy(key.begin(), key.end(), out);
    std::copy(extra.begin(), extra.end(), out + key.size());
    Ref r;
    r.offset = ((m_blocks.size() - 1) << kBlockShift) | m_used;
    r.keyLen = key.size();
    r.extraLen = extra.size();
    m_used += need;
    if (!m_refs.empty() && m_sorted)
        m_sorted = this->key(m_refs.size() - 1) <= key;
    m_refs.push_back(r);
}

MemberSet MemberSet::fromIndexedBlob(QByteArray blob, std::vector<uint32_t> offsets)
{
    MemberSet set;
    set.m_blob = blob.isNull() ? QByteArray("") : std::move(blob);
    set.m_offsets = std::move(offsets);
    return set;
}

MemberSet MemberSet::fromBlob(const QByteArray& blob, size_t expectedMembers)
{
    MemberSet set;
    set.m_blob = blob.isNull() ? QByteArray("") : blob; // never null: marks the view mode
    const char* base = set.m_blob.constData();
    const qsizetype n = set.m_blob.size();
    // A blob this engine wrote (sorted, distinct, non-empty keys, no trailing separator)
    // is indexed by offsets alone; anything else (older or damaged) the general way.
    bool wellFormed = n < qsizetype(UINT32_MAX) && (n == 0 || base[n - 1] != '\n');
    if (wellFormed) {
        set.m_offsets.reserve(expectedMembers);
        std::string_view last;
        for (qsizetype start = 0; start < n;) {
            const char* nl =
                static_cast<const char*>(memchr(base + start, '\n', size_t(n - start)));
            const qsizetype end = nl ? qsizetype(nl - base) : n;
            const std::string_view k(base + start, size_t(end - start));
            if (k.empty() || k.size() > kMaxKeyBytes || (!set.m_offsets.empty() && !(last < k))) {
                wellFormed = false;
                break;
            }
            set.m_offsets.push_back(uint32_t(start));
            last = k;
            start = end + 1;
        }
        if (wellFormed) {
            set.m_offsets.shrink_to_fit();
            return set;
        }
        set.m_offsets.clear();
        set.m_offsets.shrink_to_fit();
    }
    set.m_refs.reserve(expectedMembers);
    for (qsizetype start = 0; start < n;) {
        const char* nl = static_cast<const char*>(memchr(base + start, '\n', size_t(n - start)));
        const qsizetype end = nl ? qsizetype(nl - base) : n;
        const size_t len = std::min<size_t>(size_t(end - start), kMaxKeyBytes);
        if (len > 0) {
            Ref r;
            r.offset = uint64_t(start);
            r.keyLen = len;
            r.extraLen = 0;
            if (!set.m_refs.empty() && set.m_sorted)
                set.m_sorted =
                    set.key(set.m_refs.size() - 1) <= std::string_view(base + start, len);
            set.m_refs.push_back(r);
        }
        start = end + 1;
    }
    set.finalize();
    return set;
}

QByteArray MemberSet::joinedKeys() const
{
    if (!m_offsets.empty())
        return m_blob; // a well-formed blob is exactly that
    size_t bytes = 0;
    for (const Ref r : m_refs)
        bytes += r.keyLen + 1;
    QByteArray out;
    if (bytes == 0)
        return out;
    out.resize(qsizetype(bytes - 1));
    char* to = out.data();
    // Sorted refs point all over the arena: fetch a few keys ahead so the copy does not
    // wait on memory for every key.
    constexpr size_t kAhead = 16;
    const size_t n = m_refs.size();
    for (size_t i = 0; i < n; ++i) {
        if (i + kAhead < n)
            __builtin_prefetch(at(m_refs[i + kAhead].offset));
        const Ref r = m_refs[i];
        if (i)
            *to++ = '\n';
        std::memcpy(to, at(r.offset), r.keyLen);
        to += r.keyLen;
    }
    return out;
}

void MemberSet::sealRun(const std::function<void(std::string_view)>& visit)
{
    if (m_sealed == m_refs.size())
        return;
    if (m_sorted) {
        // Everything so far came in order: it is one sorted run already.
        if (visit)
            for (size_t i = m_sealed; i < m_refs.size(); ++i)
                visit(key(i));
        m_runStarts.assign(1, 0);
        m_sealed = m_refs.size();
        return;
    }
    const auto less = [this](Ref a, Ref b) { return refLess(a, b); };
    // Stable, so the first spelling of a duplicated key is the one kept.
    std::stable_sort(m_refs.begin() + std::ptrdiff_t(m_sealed), m_refs.end(), less);
    if (visit)
        for (size_t i = m_sealed; i < m_refs.size(); ++i)
            visit(key(i));
    m_runStarts.push_back(m_sealed);
    m_sealed = m_refs.size();
    // Merge the newest run into the one before while it is at least as long (a binary
    // counter): most of the merging happens here, page by page, and finalize() is left
    // with a few runs of falling length.
    while (m_runStarts.size() >= 2) {
        const size_t last = m_runStarts.back();
        const size_t prev = m_runStarts[m_runStarts.size() - 2];
        if (m_sealed - last < last - prev)
            break;
        std::inplace_merge(m_refs.begin() + std::ptrdiff_t(prev),
                           m_refs.begin() + std::ptrdiff_t(last),
                           m_refs.begin() + std::ptrdiff_t(m_sealed), less);
        m_runStarts.pop_back();
    }
}

void MemberSet::sortRefs()
{
    if (m_sorted) {
        m_runStarts.clear();
        m_sealed = 0;
        return;
    }
    sealRun();
    const auto less = [this](Ref a, Ref b) { return refLess(a, b); };
    // The runs left have falling lengths: merge from the shortest end (stable, the
    // earlier run first on ties).
    while (m_runStarts.size() >= 2) {
        const size_t last = m_runStarts.back();
        const size_t prev = m_runStarts[m_runStarts.size() - 2];
        std::inplace_merge(m_refs.begin() + std::ptrdiff_t(prev),
                           m_refs.begin() + std::ptrdiff_t(last), m_refs.end(), less);
        m_runStarts.pop_back();
    }
    m_runStarts.clear();
    m_sealed = 0;
    m_sorted = true;
}

size_t MemberSet::lowerBound(std::string_view k, size_t from) const
{
    const auto less = [](std::string_view a, std::string_view b) {
        return keyLess(a.data(), a.size(), b.data(), b.size());
    };
    const size_t n = size();
    size_t lo = std::min(from, n);
    if (lo == n || !less(key(lo), k))
        return lo;
    // Gallop (callers walk sorted keys, so the answer is usually near `from`), keeping
    // key(lo) < k and (hi == n or key(hi) >= k); then bisect (lo, hi].
    size_t step = 1;
    size_t hi = lo + 1;
    while (hi < n && less(key(hi), k)) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    hi = std::min(hi, n);
    ++lo;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (less(key(mid), k))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool MemberSet::contains(std::string_view k) const
{
    size_t lo = 0, hi = size();
    while (lo < hi) {
        const size_t mid = (lo + hi) / 2;
        const auto c = key(mid).compare(k);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

MemberDiff diffMembers(const MemberSet& previous, const MemberSet& current)
{
    MemberDiff d;
    size_t i = 0, j = 0;
    while (i < previous.size() && j < current.size()) {
        const int c = previous.key(i).compare(current.key(j));
        if (c == 0) {
            ++d.unchanged;
            ++i;
            ++j;
        } else if (c < 0) {
            d.exited.push_back(uint32_t(i++));
        } else {
            d.entered.push_back(uint32_t(j++));
        }
    }
    for (; i < previous.size(); ++i)
        d.exited.push_back(uint32_t(i));
    for (; j < current.size(); ++j)
        d.entered.push_back(uint32_t(j));
    return d;
}

} // namespace lockstep
