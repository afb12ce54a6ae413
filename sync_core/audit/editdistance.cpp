#include "editdistance.h"

#include <algorithm>
#include <vector>

namespace lockstep {

int editDistance(const QString& a, const QString& b)
{
    // Two rows of the dynamic-programming table are enough.
    const qsizetype n = a.size(), m = b.size();
    std::vector<int> prev(size_t(m + 1)), cur(size_t(m + 1));
    for (qsizetype j = 0; j <= m; ++j)
        prev[size_t(j)] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int sub = prev[size_t(j - 1)] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[size_t(j)] = std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[size_t(m)];
}

double normalizedEditDistance(const QString& a, const QString& b)
{
    const qsizetype longest = std::max(a.size(), b.size());
    return longest == 0 ? 0.0 : double(editDistance(a, b)) / double(longest);
}

} // namespace lockstep
