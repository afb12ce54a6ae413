// Reduces a size history to at most N points for a chart, keeping the shape an
// operator needs to see (a collapse must survive downsampling). Both methods return
// a subset of the input points, oldest first, so tooltips still show real runs.
#pragma once

#include "sizepoint.h"

#include <span>
#include <vector>

namespace lockstep {

// Largest-Triangle-Three-Buckets on (atMs, series): visually faithful lines with
// exactly min(n, size) points; keeps the first and last point. n < 3 keeps the ends.
std::vector<SizePoint> downsampleLttb(std::span<const SizePoint> points, size_t n,
                                      SizeSeries series = SizeSeries::Segment);

// Splits the time range into n/2 equal buckets and keeps each bucket's minimum and
// maximum (in time order): no spike or dip is ever lost. At most n points.
std::vector<SizePoint> downsampleMinMax(std::span<const SizePoint> points, size_t n,
                                        SizeSeries series = SizeSeries::Segment);

} // namespace lockstep
