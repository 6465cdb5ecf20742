// The SQL side of proration shared by its functions and apply_plan_change.
#pragma once

#include "boundary.hpp"
#include "proration.hpp"

namespace credits::pg {

// The unused fraction from arguments (period_start, period_end, change_at at
// `first`.., basis at `basis_arg`, tz at `tz_arg`); 22023 for an unknown
// basis or zone, an infinite instant or a change outside the period.
core::Fraction fraction_from(FunctionCallInfo fcinfo, int first, int basis_arg, int tz_arg);

} // namespace credits::pg
