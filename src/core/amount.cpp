// Text conversion and checked arithmetic of credit amounts.
#include "amount.hpp"
#include "utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "error.hpp"

namespace credits::core {

namespace {

constexpr uint128 kMaxMagnitude = uint128(kMaxRaw);
constexpr const char* kRangeDetail =
    "Credits range from -170141183460469231731687303715.884105727 to "
    "170141183460469231731687303715.884105727.";
// Exponents beyond this cannot yield a representable non-zero amount.
constexpr int64_t kExponentClamp = 100000;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string quoted(std::string_view text) {
    std::string s = "\"";
    std::size_t shown = utf8_prefix(text, 200);
    s.append(text.substr(0, shown));
    if (shown < text.size())
        s.append("...");
    s.append("\"");
    return s;
}

[[noreturn]] void syntax_error(std::string_view text) {
    throw Error(sqlstate::kInvalidText, "invalid input syntax for type credit: " + quoted(text));
}

[[noreturn]] void range_error(std::string_view text) {
    throw Error(sqlstate::kOutOfRange, "value " + quoted(text) + " is out of range for type credit",
                kRangeDetail);
}

[[noreturn]] void arithmetic_range_error() {
    throw Error(sqlstate::kOutOfRange, "credit out of range", kRangeDetail);
}

// The decimal digits of a parsed literal, read as one sequence across the point.
struct Digits {
    std::string_view integer;
    std::string_view fraction;
    std::size_t size() const { return integer.size() + fraction.size(); }
    int at(std::size_t i) const {
        return (i < integer.size() ? integer[i] : fraction[i - integer.size()]) - '0';
    }
};

// Multiplies `acc` by 10 and adds `digit`; false on exceeding the credit range.
// The bounds are constants, so no 128-bit division happens per digit.
bool push_digit(uint128& acc, int digit) {
    constexpr uint128 kLimit = kMaxMagnitude / 10;
    constexpr int kLastDigit = int(kMaxMagnitude % 10);
    if (acc > kLimit || (acc == kLimit && digit > kLastDigit))
        return false;
    acc = acc * 10 + digit;
    return true;
}

// Powers of ten that fit in 64 bits.
constexpr uint64_t kPow10[] = {1ULL,      10ULL,      100ULL,      1000ULL,      10000ULL,
                               100000ULL, 1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL};

// The fast path for what COPY mostly sees: "[-+]digits[.digits]" with at
// most 18 digits and at most 9 of them fractional, nothing else. Returns
// false, having decided nothing, for any other text.
bool parse_plain(std::string_view text, int128& out) {
    std::size_t i = 0, n = text.size();
    bool negative = false;
    if (i < n && (text[i] == '-' || text[i] == '+'))
        negative = text[i++] == '-';
    uint64_t value = 0;
    int digits = 0, fraction = 0;
    for (; i < n && is_digit(text[i]); i++, digits++)
        value = value * 10 + uint64_t(text[i] - '0');
    if (i < n && text[i] == '.')
        for (i++; i < n && is_digit(text[i]); i++, fraction++)
            value = value * 10 + uint64_t(text[i] - '0');
    if (i != n || digits + fraction == 0 || digits + fraction > 18 || fraction > kScale)
        return false;
    int128 raw = int128(value) * int128(kPow10[kScale - fraction]);
    out = negative ? -raw : raw;
    return true;
}

// The shared parser: the result counts units of 10^-scale; `mode` null means
// digits below that unit are an error.
int128 parse(std::string_view text, const RoundMode* mode, int scale) {
    std::size_t i = 0, n = text.size();
    while (i < n && is_space(text[i]))
        i++;
    bool negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-'))
        negative = text[i++] == '-';
    Digits digits;
    std::size_t start = i;
    while (i < n && is_digit(text[i]))
        i++;
    digits.integer = text.substr(start, i - start);
    if (i < n && text[i] == '.') {
        start = ++i;
        while (i < n && is_digit(text[i]))
            i++;
        digits.fraction = text.substr(start, i - start);
    }
    if (digits.size() == 0)
        syntax_error(text);
    int64_t exponent = 0;
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        bool exp_negative = false;
        if (i < n && (text[i] == '+' || text[i] == '-'))
            exp_negative = text[i++] == '-';
        if (i == n || !is_digit(text[i]))
            syntax_error(text);
        for (; i < n && is_digit(text[i]); i++)
            if (exponent < kExponentClamp)
                exponent = exponent * 10 + (text[i] - '0');
        if (exp_negative)
            exponent = -exponent;
    }
    while (i < n && is_space(text[i]))
        i++;
    if (i != n)
        syntax_error(text);

    // value = digits * 10^shift raw units
    int64_t total = int64_t(digits.size());
    int64_t shift = exponent - int64_t(digits.fraction.size()) + scale;
    int64_t keep = shift >= 0 ? total : total + shift;
    uint128 magnitude = 0;
    for (int64_t k = 0; k < keep; k++)
        if (!push_digit(magnitude, digits.at(k)))
            range_error(text);
    for (int64_t k = 0; k < shift && magnitude != 0; k++)
        if (!push_digit(magnitude, 0))
            range_error(text);

    Dropped dropped = Dropped::Zero;
    if (keep < total) {
        int64_t first = keep < 0 ? -1 : keep; // -1: an implicit leading zero is dropped first
        int first_digit = first < 0 ? 0 : digits.at(first);
        bool rest_nonzero = false;
        for (int64_t k = first + 1; k < total && !rest_nonzero; k++)
            rest_nonzero = k >= 0 && digits.at(k) != 0;
        if (first_digit > 5 || (first_digit == 5 && rest_nonzero))
            dropped = Dropped::AboveHalf;
        else if (first_digit == 5)
            dropped = Dropped::Half;
        else if (first_digit > 0 || rest_nonzero)
            dropped = Dropped::BelowHalf;
    }
    if (dropped != Dropped::Zero) {
        if (mode == nullptr)
            throw Error(sqlstate::kInvalidText,
                        "invalid input syntax for type credit: " + quoted(text),
                        "A credit carries at most 9 fractional digits.",
                        "Round the amount to at most 9 fractional digits.");
        if (round_away(*mode, dropped, negative, (magnitude & 1) != 0)) {
            if (magnitude == kMaxMagnitude)
                range_error(text);
            magnitude++;
        }
    }
    int128 value = int128(magnitude);
    return negative ? -value : value;
}

// Writes the decimal digits of `v` backwards ending at `end`; returns the start.
char* write_digits_backwards(uint128 v, char* end) {
    // Peel 19-digit chunks off with one 128-bit division each, then use 64-bit.
    constexpr uint64_t kChunk = 10000000000000000000ULL;
    while (v > UINT64_MAX) {
        uint64_t low = uint64_t(v % kChunk);
        v /= kChunk;
        for (int k = 0; k < 19; k++) {
            *--end = char('0' + low % 10);
            low /= 10;
        }
    }
    uint64_t w = uint64_t(v);
    do {
        *--end = char('0' + w % 10);
        w /= 10;
    } while (w != 0);
    return end;
}

} // namespace

int128 parse_amount(std::string_view text) {
    int128 raw;
    if (parse_plain(text, raw))
        return raw;
    return parse(text, nullptr, kScale);
}

int128 parse_amount_rounded(std::string_view text, RoundMode mode) {
    return parse(text, &mode, kScale);
}

int128 parse_raw_integer(std::string_view text) {
    return parse(text, nullptr, 0);
}

std::size_t format_amount(int128 raw, char* out) {
    uint128 magnitude = raw < 0 ? uint128(-raw) : uint128(raw);
    uint128 integer;
    uint32_t fraction;
    if (magnitude <= UINT64_MAX) { // the common case: 64-bit division is far cheaper
        integer = uint64_t(magnitude) / kUnit;
        fraction = uint32_t(uint64_t(magnitude) % kUnit);
    } else {
        integer = magnitude / kUnit;
        fraction = uint32_t(magnitude % kUnit);
    }
    char buf[kMaxTextLength];
    char* end = buf + sizeof buf;
    char* p = end;
    if (fraction != 0) {
        int width = kScale;
        while (fraction % 10 == 0) {
            fraction /= 10;
            width--;
        }
        for (int k = 0; k < width; k++) {
            *--p = char('0' + fraction % 10);
            fraction /= 10;
        }
        *--p = '.';
    }
    p = write_digits_backwards(integer, p);
    if (raw < 0)
        *--p = '-';
    std::size_t len = std::size_t(end - p);
    std::memcpy(out, p, len);
    out[len] = '\0';
    return len;
}

std::size_t format_raw_integer(int128 raw, char* out) {
    char buf[kMaxTextLength];
    char* end = buf + sizeof buf;
    char* p = write_digits_backwards(raw < 0 ? uint128(-raw) : uint128(raw), end);
    if (raw < 0)
        *--p = '-';
    std::size_t len = std::size_t(end - p);
    std::memcpy(out, p, len);
    out[len] = '\0';
    return len;
}

void check_range(int128 raw) {
    if (raw < kMinRaw)
        arithmetic_range_error();
}

int128 add(int128 a, int128 b) {
    int128 r;
    if (__builtin_add_overflow(a, b, &r) || r < kMinRaw)
        arithmetic_range_error();
    return r;
}

int128 subtract(int128 a, int128 b) {
    int128 r;
    if (__builtin_sub_overflow(a, b, &r) || r < kMinRaw)
        arithmetic_range_error();
    return r;
}

int128 multiply(int128 a, int64_t n) {
    int128 r;
    if (__builtin_mul_overflow(a, int128(n), &r) || r < kMinRaw)
        arithmetic_range_error();
    return r;
}

int128 divide(int128 a, int64_t n, RoundMode mode) {
    if (n == 0)
        throw Error(sqlstate::kDivisionByZero, "division by zero");
    return divide_rounded<int128>(a, int128(n), mode);
}

int128 digits_step(int digits) {
    if (digits < 0 || digits > kScale)
        throw Error(sqlstate::kInvalidParameter,
                    "digits must be between 0 and 9, not " + std::to_string(digits));
    int128 step = 1;
    for (int k = digits; k < kScale; k++)
        step *= 10;
    return step;
}

int128 round_to_digits(int128 raw, int digits, RoundMode mode) {
    int128 step = digits_step(digits);
    int128 units = divide_rounded<int128>(raw, step, mode);
    int128 r;
    if (__builtin_mul_overflow(units, step, &r) || r < kMinRaw)
        arithmetic_range_error();
    return r;
}

int128 from_double(double value) {
    if (std::isnan(value) || std::isinf(value))
        throw Error(sqlstate::kInvalidText,
                    "cannot convert " + std::string(std::isnan(value) ? "NaN" : "infinity") +
                        " to credit");
    // std::to_chars without a format is the shortest text that reads back as
    // the same double (Ryu, as float8out with extra_float_digits >= 1).
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, value);
    std::string_view text(buf, std::size_t(result.ptr - buf));
    try {
        return parse_amount(text);
    } catch (const Error& e) {
        if (std::string_view(e.sqlstate()) != sqlstate::kInvalidText)
            throw;
        throw Error(
            sqlstate::kInvalidText,
            "double precision value " + std::string(text) + " has more than 9 fractional digits",
            "A credit carries at most 9 fractional digits; a double precision value is "
            "read by its shortest decimal form.",
            "Pass the amount as a decimal (numeric or text), not as a binary floating-point "
            "number.");
    }
}

double to_double(int128 raw) {
    char buf[kMaxTextLength];
    format_amount(raw, buf);
    return std::strtod(buf, nullptr); // correctly rounded, ties to even
}

int128 apply_rounding(int128 truncated, Dropped dropped, bool negative, RoundMode mode) {
    bool odd = (truncated % 2) != 0;
    if (!round_away(mode, dropped, negative, odd))
        return truncated;
    return add(truncated, negative ? -1 : 1);
}

} // namespace credits::core

#include "no_postgres.hpp" // last: fails the build if a PostgreSQL header came in
