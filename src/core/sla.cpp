// Uptime measurement and tier schedules.
#include "sla.hpp"

#include <algorithm>

#include <boost/multiprecision/cpp_int.hpp>

#include "error.hpp"
#include "wide.hpp"

namespace credits::core {

namespace {

using Big = boost::multiprecision::cpp_int;

[[noreturn]] void invalid(const std::string& message, const std::string& detail = {}) {
    throw Error(sqlstate::kInvalidParameter, message, detail);
}

// Sorted, merged, non-empty spans.
std::vector<Span> merged(std::vector<Span> spans) {
    spans.erase(
        std::remove_if(spans.begin(), spans.end(), [](const Span& s) { return s.end <= s.start; }),
        spans.end());
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
    std::vector<Span> out;
    for (const Span& s : spans) {
        if (!out.empty() && s.start <= out.back().end)
            out.back().end = std::max(out.back().end, s.end);
        else
            out.push_back(s);
    }
    return out;
}

// `spans` minus `cut` (both merged).
std::vector<Span> subtract(const std::vector<Span>& spans, const std::vector<Span>& cut) {
    std::vector<Span> out;
    for (Span s : spans) {
        for (const Span& c : cut) {
            if (c.end <= s.start || c.start >= s.end)
                continue;
            if (c.start > s.start)
                out.push_back({s.start, c.start});
            s.start = std::max(s.start, c.end);
            if (s.start >= s.end)
                break;
        }
        if (s.start < s.end)
            out.push_back(s);
    }
    return out;
}

Big mantissa(const Decimal& d) {
    Big m(d.digits);
    return d.negative ? Big(-m) : m;
}

// Three-way comparison of two decimals.
int compare(const Decimal& a, const Decimal& b) {
    int scale = std::max(a.scale, b.scale);
    Big x = mantissa(a) * pow10<Big>(scale - a.scale),
        y = mantissa(b) * pow10<Big>(scale - b.scale);
    return x < y ? -1 : x > y ? 1 : 0;
}

bool above_lower(const Decimal& v, const SlaTier& t) {
    if (!t.lower)
        return true;
    int c = compare(v, *t.lower);
    return c > 0 || (c == 0 && t.lower_inclusive);
}

bool below_upper(const Decimal& v, const SlaTier& t) {
    if (!t.upper)
        return true;
    int c = compare(v, *t.upper);
    return c < 0 || (c == 0 && t.upper_inclusive);
}

// Whether two tiers share any uptime value.
bool overlap(const SlaTier& a, const SlaTier& b) {
    // a is entirely below b, or b entirely below a
    auto below = [](const SlaTier& x, const SlaTier& y) {
        if (!x.upper || !y.lower)
            return false;
        int c = compare(*x.upper, *y.lower);
        return c < 0 || (c == 0 && !(x.upper_inclusive && y.lower_inclusive));
    };
    return !below(a, b) && !below(b, a);
}

std::string text_of(const Decimal& d) {
    std::string s = d.digits;
    if (d.scale > 0) {
        if (int(s.size()) <= d.scale)
            s.insert(0, std::size_t(d.scale - int(s.size()) + 1), '0');
        s.insert(s.size() - std::size_t(d.scale), ".");
    }
    return (d.negative ? "-" : "") + s;
}

} // namespace

Uptime measure_uptime(Span period, std::vector<Span> outages, std::vector<Span> excluded,
                      int64_t min_outage) {
    if (period.end <= period.start)
        invalid("the period must not be empty");
    if (period.start == INT64_MIN || period.end == INT64_MAX)
        invalid("the period must be bounded");
    if (min_outage < 0)
        invalid("min_outage must not be negative");
    std::vector<Span> down = merged(std::move(outages));
    for (Span& s : down) {
        s.start = std::max(s.start, period.start);
        s.end = std::min(s.end, period.end);
    }
    down = subtract(merged(down), merged(std::move(excluded)));
    int64_t downtime = 0;
    for (const Span& s : down)
        if (s.end - s.start >= min_outage)
            downtime += s.end - s.start;
    int64_t total = period.end - period.start;
    return {total - downtime, total};
}

Decimal parse_decimal(std::string_view text) {
    Decimal d;
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+'))
        d.negative = text[i++] == '-';
    std::string digits;
    bool seen_point = false, seen_digit = false;
    for (; i < text.size(); i++) {
        char c = text[i];
        if (c == '.' && !seen_point) {
            seen_point = true;
        } else if (c >= '0' && c <= '9') {
            digits += c;
            seen_digit = true;
            if (seen_point)
                d.scale++;
        } else {
            invalid("\"" + std::string(text.substr(0, 50)) + "\" is not a finite number");
        }
    }
    if (!seen_digit)
        invalid("\"" + std::string(text.substr(0, 50)) + "\" is not a finite number");
    std::size_t first = digits.find_first_not_of('0');
    d.digits = first == std::string::npos ? "0" : digits.substr(first);
    if (d.digits == "0")
        d.negative = false;
    return d;
}

std::string uptime_percent(Uptime u, int scale) {
    Big scaled = Big(u.up) * 100 * pow10<Big>(scale);
    Big q = divide_rounded<Big>(scaled, Big(u.total), RoundMode::HalfUp);
    Decimal d;
    d.digits = q.str();
    d.scale = scale;
    // remove trailing fractional zeros
    while (d.scale > 0 && d.digits.size() > 1 && d.digits.back() == '0') {
        d.digits.pop_back();
        d.scale--;
    }
    if (d.digits == "0")
        d.scale = 0;
    return text_of(d);
}

void validate_tiers(const std::vector<SlaTier>& tiers) {
    if (tiers.empty())
        invalid("an SLA policy needs at least one tier");
    for (std::size_t i = 0; i < tiers.size(); i++) {
        const SlaTier& t = tiers[i];
        if (t.credit_percent.negative)
            invalid("tier " + std::to_string(i + 1) + ": credit_percent must not be negative");
        if (t.lower && t.upper) {
            int c = compare(*t.lower, *t.upper);
            if (c > 0 || (c == 0 && !(t.lower_inclusive && t.upper_inclusive)))
                invalid("tier " + std::to_string(i + 1) + ": its bounds contain no uptime");
        }
        for (std::size_t j = 0; j < i; j++)
            if (overlap(tiers[j], t))
                invalid("tiers " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                            " overlap",
                        "Each uptime may match at most one tier.");
    }
}

int128 sla_credit(int128 fee, const Decimal& uptime, const SlaPolicy& policy, int digits,
                  RoundMode mode) {
    if (fee < 0)
        invalid("fee must not be negative");
    static const Decimal zero = parse_decimal("0"), hundred = parse_decimal("100");
    if (compare(uptime, zero) < 0 || compare(uptime, hundred) > 0)
        invalid("uptime must be a percentage from 0 to 100, not " + text_of(uptime));
    const SlaTier* match = nullptr;
    bool above_all = true;
    for (const SlaTier& t : policy.tiers) {
        if (above_lower(uptime, t) && below_upper(uptime, t))
            match = &t;
        if (below_upper(uptime, t))
            above_all = false;
    }
    if (!match) {
        if (above_all)
            return 0; // the commitment is met
        invalid("uptime " + text_of(uptime) + " falls in a gap between the policy's tiers",
                "The schedule does not say what an uptime there earns; fix the tiers.");
    }
    // fee x min(percent, cap) / 100, rounded once
    const Decimal& pct = compare(match->credit_percent, policy.cap_percent) > 0
                             ? policy.cap_percent
                             : match->credit_percent;
    int128 credit = percent_of(fee, pct, digits, mode);
    return credit < policy.min_credit ? 0 : credit;
}

int128 percent_of(int128 amount, const Decimal& percent, int digits, RoundMode mode) {
    Big num = to_wide<Big>(amount) * mantissa(percent);
    Big den = 100 * pow10<Big>(percent.scale);
    Big step = to_wide<Big>(digits_step(digits));
    return to_amount(divide_rounded<Big>(num, den * step, mode) * step);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
