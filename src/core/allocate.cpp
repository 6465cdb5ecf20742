// Largest-remainder allocation in exact 256-bit integer arithmetic.
#include "allocate.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#include "error.hpp"
#include "wide.hpp"

namespace credits::core {

namespace {

// Checked: an intermediate beyond 256 bits throws instead of wrapping.
using Wide = boost::multiprecision::checked_int256_t;

[[noreturn]] void bad_weight(std::string_view text, const char* why) {
    throw Error(sqlstate::kInvalidParameter,
                "invalid weight \"" + std::string(text.substr(0, 100)) + "\": " + why,
                "Weights must be finite, non-negative numbers, not all zero.");
}

// A non-negative decimal weight as mantissa * 10^-scale.
struct Weight {
    Wide mantissa = 0;
    int scale = 0;
};

// Reads the plain decimal text numeric prints ("12.50", "-3", "NaN").
Weight parse_weight(std::string_view text) {
    Weight w;
    std::size_t i = 0;
    if (!text.empty() && text[0] == '-') {
        bool all_zero = text.find_first_not_of("-0.") == std::string_view::npos;
        if (!all_zero)
            bad_weight(text, "weights must not be negative");
        i = 1;
    }
    bool seen_digit = false, seen_point = false;
    for (; i < text.size(); i++) {
        char c = text[i];
        if (c == '.' && !seen_point) {
            seen_point = true;
        } else if (c >= '0' && c <= '9') {
            w.mantissa = w.mantissa * 10 + (c - '0');
            if (seen_point)
                w.scale++;
            seen_digit = true;
        } else {
            bad_weight(text, "not a finite number");
        }
    }
    if (!seen_digit)
        bad_weight(text, "not a finite number");
    return w;
}

} // namespace

void allocate(int128 total, const std::string_view* weights, std::size_t count, int digits,
              int128* parts) {
    int128 step = digits_step(digits);
    if (count == 0)
        throw Error(sqlstate::kInvalidParameter, "weights must not be empty");
    if (total % step != 0) {
        char text[kMaxTextLength];
        format_amount(total, text);
        throw Error(sqlstate::kInvalidParameter,
                    std::string("total ") + text + " has more than " + std::to_string(digits) +
                        " fractional digits",
                    "Round the total first, or allocate at a finer precision.");
    }
    try {
        std::vector<Weight> parsed;
        parsed.reserve(count);
        int scale = 0;
        for (std::size_t i = 0; i < count; i++) {
            parsed.push_back(parse_weight(weights[i]));
            scale = std::max(scale, parsed.back().scale);
        }
        Wide sum = 0;
        for (auto& w : parsed) {
            w.mantissa *= pow10<Wide>(scale - w.scale);
            sum += w.mantissa;
        }
        if (sum == 0)
            throw Error(sqlstate::kInvalidParameter, "weights must not all be zero");

        bool negative = total < 0;
        int128 units_total = (negative ? -total : total) / step;
        Wide units = to_wide<Wide>(units_total);
        std::vector<Wide> remainders(count);
        std::vector<Wide> quotas(count);
        Wide given = 0;
        for (std::size_t i = 0; i < count; i++) {
            Wide share = units * parsed[i].mantissa;
            quotas[i] = share / sum;
            remainders[i] = share % sum;
            given += quotas[i];
        }
        // The leftover units (fewer than count) go to the largest remainders.
        std::vector<std::size_t> order(count);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return remainders[a] > remainders[b];
        });
        Wide leftover = units - given;
        for (std::size_t k = 0; leftover > 0; k++, leftover -= 1)
            quotas[order[k]] += 1;
        for (std::size_t i = 0; i < count; i++) {
            int128 q = to_amount(quotas[i]); // at most the total's units
            parts[i] = negative ? -(q * step) : q * step;
        }
    } catch (const std::overflow_error&) {
        throw Error(sqlstate::kOutOfRange, "weights are too large or too precise to allocate with",
                    "The total times a weight must fit in 256 bits.");
    }
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
