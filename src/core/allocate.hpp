// Splitting a total in proportion to weights so that the parts add up exactly.
#pragma once

#include <cstddef>
#include <string_view>

#include "amount.hpp"

namespace credits::core {

// Splits `total` in proportion to `weights` (decimal texts, >= 0, not all
// zero) at `digits` fractional digits, by largest remainder with ties going
// to the earlier position. Writes `count` parts to `parts`; they sum to total.
void allocate(int128 total, const std::string_view* weights, std::size_t count, int digits,
              int128* parts);

} // namespace credits::core
