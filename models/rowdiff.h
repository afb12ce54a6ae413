// Helpers for models that take whole value lists: decide whether a new list is the
// same rows (update in place) or a different set (insert or reset).
#pragma once

#include <QList>

namespace lockstep {

// True when both lists hold the same ids in the same order.
template <typename T, typename IdOf> bool sameIds(const QList<T>& a, const QList<T>& b, IdOf id)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (id(a[i]) != id(b[i]))
            return false;
    return true;
}

// How many rows `next` adds at its front when its tail holds exactly the ids of `prev`
// (new runs arrive newest first); -1 when the lists differ in another way.
template <typename T, typename IdOf>
qsizetype prependedCount(const QList<T>& prev, const QList<T>& next, IdOf id)
{
    const qsizetype added = next.size() - prev.size();
    if (added < 0)
        return -1;
    for (qsizetype i = 0; i < prev.size(); ++i)
        if (id(prev[i]) != id(next[i + added]))
            return -1;
    return added;
}

} // namespace lockstep
