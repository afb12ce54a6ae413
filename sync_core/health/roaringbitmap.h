// CRoaring's C++ class is ::Roaring in the 0.2 series Debian 12 ships and
// roaring::Roaring in later releases; RoaringBitmap names whichever is there.
#pragma once

#include <roaring/roaring.hh>

namespace roaring {} // namespace roaring

namespace lockstep {
namespace roaring_detail {
using namespace ::roaring;
using Bitmap = Roaring;
} // namespace roaring_detail
using RoaringBitmap = roaring_detail::Bitmap;
} // namespace lockstep
