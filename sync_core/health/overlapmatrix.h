// Overlap figures between cohorts, as plain values for the Overlap page and exports.
#pragma once

#include <QList>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace lockstep {

struct OverlapStats
{
    qint64 mappingA = 0;
    qint64 mappingB = 0;
    uint64_t sizeA = 0;
    uint64_t sizeB = 0;
    uint64_t intersection = 0;

    uint64_t unionSize() const { return sizeA + sizeB - intersection; }
    // |A ∩ B| / |A ∪ B|; 0 when both are empty.
    double jaccard() const { return unionSize() ? double(intersection) / double(unionSize()) : 0; }
    // Share of A's members that are also in B; 0 when A is empty.
    double shareOfAInB() const { return sizeA ? double(intersection) / double(sizeA) : 0; }
    double shareOfBInA() const { return sizeB ? double(intersection) / double(sizeB) : 0; }
};

// Pairwise intersections of N cohorts; symmetric, the diagonal holds the sizes.
struct OverlapMatrix
{
    QList<qint64> mappingIds;
    QStringList names;
    std::vector<uint64_t> counts; // row-major n × n

    qsizetype size() const { return mappingIds.size(); }
    uint64_t intersection(qsizetype i, qsizetype j) const { return counts[size_t(i * size() + j)]; }
    uint64_t cohortSize(qsizetype i) const { return intersection(i, i); }
    OverlapStats stats(qsizetype i, qsizetype j) const
    {
        return {mappingIds[i], mappingIds[j], cohortSize(i), cohortSize(j), intersection(i, j)};
    }
};

} // namespace lockstep
