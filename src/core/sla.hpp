// SLA math: uptime over a period from outage windows, and the credit a tier
// schedule gives for it. Exact: uptime is a fraction of microseconds, tier
// bounds are decimals compared by cross-multiplication.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "amount.hpp"

namespace credits::core {

// A time span [start, end) in PostgreSQL microseconds.
struct Span {
    int64_t start;
    int64_t end;
};

// Available time over total time, both in microseconds.
struct Uptime {
    int64_t up;
    int64_t total;
};

// Outages merged (overlaps count once), clipped to the period, excluded
// windows removed, then any remaining outage shorter than min_outage ignored.
// 22023 when the period is empty or unbounded, or min_outage is negative.
Uptime measure_uptime(Span period, std::vector<Span> outages, std::vector<Span> excluded,
                      int64_t min_outage);

// An exact decimal: mantissa x 10^-scale, as text ("-12.5", "99.95").
struct Decimal {
    std::string digits; // the mantissa's decimal digits, no sign, no leading zeros ("0" for 0)
    bool negative = false;
    int scale = 0;
};

// Parses numeric's text output; 22023 for NaN, infinities or junk.
Decimal parse_decimal(std::string_view text);

// The uptime as a percentage with `scale` fractional digits, rounded half up,
// trailing zeros removed ("99.95", "100").
std::string uptime_percent(Uptime uptime, int scale = 20);

// One tier of a schedule: uptimes between the bounds earn credit_percent.
struct SlaTier {
    std::optional<Decimal> lower; // none: unbounded below
    bool lower_inclusive = true;
    std::optional<Decimal> upper; // none: unbounded above
    bool upper_inclusive = false;
    Decimal credit_percent;
};

// 22023 unless there is at least one tier, each bound pair is ordered and not
// empty, percents are >= 0, and no two tiers overlap.
void validate_tiers(const std::vector<SlaTier>& tiers);

struct SlaPolicy {
    std::vector<SlaTier> tiers;
    Decimal cap_percent;
    int128 min_credit = 0;
};

// The credit for `fee` at `uptime` percent: fee x the matching tier's
// percent, capped at cap_percent of the fee, rounded to `digits` with
// `mode`; 0 when below min_credit, 0 when the uptime is above every tier
// (the commitment is met). An uptime in a gap between tiers, or outside
// 0..100, is 22023.
int128 sla_credit(int128 fee, const Decimal& uptime, const SlaPolicy& policy, int digits,
                  RoundMode mode);

// amount x percent / 100, exact, rounded once to `digits` (0..9) with
// `mode`; 22003 when the result is out of range.
int128 percent_of(int128 amount, const Decimal& percent, int digits, RoundMode mode);

} // namespace credits::core
