#include "downsampler.h"

#include <cmath>

namespace lockstep {

std::vector<SizePoint> downsampleLttb(std::span<const SizePoint> points, size_t n,
                                      SizeSeries series)
{
    if (points.size() <= n)
        return {points.begin(), points.end()};
    if (n == 0)
        return {};
    if (n == 1)
        return {points.back()};
    if (n == 2)
        return {points.front(), points.back()};

    std::vector<SizePoint> out;
    out.reserve(n);
    out.push_back(points.front());
    // The n-2 middle buckets share the points between the two fixed ends.
    const double every = double(points.size() - 2) / double(n - 2);
    size_t a = 0; // index of the point chosen in the previous bucket
    for (size_t i = 0; i < n - 2; ++i) {
        const size_t start = size_t(std::floor(double(i) * every)) + 1;
        const size_t end =
            std::min(size_t(std::floor(double(i + 1) * every)) + 1, points.size() - 1);
        // The average of the next bucket stands in for the point chosen there.
        const size_t nextStart = end;
        const size_t nextEnd =
            std::min(size_t(std::floor(double(i + 2) * every)) + 1, points.size());
        double avgX = 0, avgY = 0;
        const size_t nextCount = nextEnd > nextStart ? nextEnd - nextStart : 0;
        for (size_t j = nextStart; j < nextStart + nextCount; ++j) {
            avgX += double(points[j].atMs);
            avgY += double(seriesValue(points[j], series));
        }
        if (nextCount > 0) {
            avgX /= double(nextCount);
            avgY /= double(nextCount);
        } else {
            avgX = double(points.back().atMs);
            avgY = double(seriesValue(points.back(), series));
        }
        // Times are made relative to the previous choice so doubles keep precision.
        const double ax = 0;
        const double ay = double(seriesValue(points[a], series));
        const double bx = avgX - double(points[a].atMs);
        double bestArea = -1;
        size_t best = start;
        for (size_t j = start; j < end; ++j) {
            const double px = double(points[j].atMs - points[a].atMs);
            const double py = double(seriesValue(points[j], series));
            const double area = std::abs((ax - bx) * (py - ay) - (ax - px) * (avgY - ay));
            if (area > bestArea) {
                bestArea = area;
                best = j;
            }
        }
        out.push_back(points[best]);
        a = best;
    }
    out.push_back(points.back());
    return out;
}

std::vector<SizePoint> downsampleMinMax(std::span<const SizePoint> points, size_t n,
                                        SizeSeries series)
{
    if (points.size() <= n)
        return {points.begin(), points.end()};
    if (n < 2)
        return n == 1 ? std::vector<SizePoint>{points.back()} : std::vector<SizePoint>{};

    const size_t buckets = n / 2;
    const qint64 t0 = points.front().atMs;
    const qint64 span = points.back().atMs - t0 + 1;
    std::vector<SizePoint> out;
    out.reserve(n);
    size_t i = 0;
    for (size_t b = 0; b < buckets && i < points.size(); ++b) {
        // Bucket b covers [t0 + span*b/buckets, t0 + span*(b+1)/buckets).
        const qint64 until = t0 + qint64((__int128(span) * qint64(b + 1)) / qint64(buckets));
        size_t lo = i, hi = i;
        const size_t first = i;
        while (i < points.size() && (points[i].atMs < until || b + 1 == buckets)) {
            if (seriesValue(points[i], series) < seriesValue(points[lo], series))
                lo = i;
            if (seriesValue(points[i], series) > seriesValue(points[hi], series))
                hi = i;
            ++i;
        }
        if (i == first)
            continue; // an empty bucket (a gap in the history)
        if (lo == hi) {
            out.push_back(points[lo]);
        } else {
            out.push_back(points[std::min(lo, hi)]);
            out.push_back(points[std::max(lo, hi)]);
        }
    }
    return out;
}

} // namespace lockstep
