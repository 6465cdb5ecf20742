// Unit tests of amount parsing, printing and arithmetic.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "amount.hpp"
#include "error.hpp"

using namespace credits::core;

namespace {

std::string text(int128 raw) {
    char buf[kMaxTextLength];
    format_amount(raw, buf);
    return buf;
}

std::string roundtrip(const char* in) {
    return text(parse_amount(in));
}

// The SQLSTATE an expression throws, or "" when it does not throw.
template <class F> std::string sqlstate_of(F f) {
    try {
        f();
    } catch (const Error& e) {
        return e.sqlstate();
    }
    return "";
}

const char* kMaxText = "170141183460469231731687303715.884105727";
const char* kMinText = "-170141183460469231731687303715.884105727";

} // namespace

TEST(Parse, CanonicalOutput) {
    EXPECT_EQ(roundtrip("10.50"), "10.5");
    EXPECT_EQ(roundtrip("100"), "100");
    EXPECT_EQ(roundtrip("-0.000000001"), "-0.000000001");
    EXPECT_EQ(roundtrip("0"), "0");
    EXPECT_EQ(roundtrip("-0"), "0");
    EXPECT_EQ(roundtrip("+7"), "7");
    EXPECT_EQ(roundtrip(".5"), "0.5");
    EXPECT_EQ(roundtrip("5."), "5");
    EXPECT_EQ(roundtrip("  42.000  "), "42");
    EXPECT_EQ(roundtrip("\t1\n"), "1");
    EXPECT_EQ(roundtrip("000123.4500"), "123.45");
}

TEST(Parse, Exponent) {
    EXPECT_EQ(roundtrip("1.5e3"), "1500");
    EXPECT_EQ(roundtrip("1.5E+3"), "1500");
    EXPECT_EQ(roundtrip("15e-1"), "1.5");
    EXPECT_EQ(roundtrip("1e-9"), "0.000000001");
    EXPECT_EQ(roundtrip("0e999999999999"), "0");
    EXPECT_EQ(roundtrip("1000e-12"), "0.000000001");
    EXPECT_EQ(roundtrip("1.7e29"), "170000000000000000000000000000");
}

TEST(Parse, RejectsJunk) {
    for (const char* bad : {"",    " ",   "abc",  "1.2.3", "--1", "+-1",      "1e",
                            "1e+", ".",   "-",    "NaN",   "nan", "Infinity", "-Infinity",
                            "inf", "1 2", "0x10", "1,5",   "e5",  "1.5x",     "1e5.5"})
        EXPECT_EQ(sqlstate_of([&] { parse_amount(bad); }), "22P02") << bad;
}

TEST(Parse, RejectsExtraFractionalDigits) {
    EXPECT_EQ(sqlstate_of([] { parse_amount("0.0000000001"); }), "22P02");
    EXPECT_EQ(sqlstate_of([] { parse_amount("1.5e-9"); }), "22P02");
    EXPECT_EQ(sqlstate_of([] { parse_amount("1e-100000000"); }), "22P02");
    // Trailing zeros beyond the ninth digit change no value.
    EXPECT_EQ(roundtrip("1.0000000000000"), "1");
}

TEST(Parse, Limits) {
    EXPECT_EQ(roundtrip(kMaxText), kMaxText);
    EXPECT_EQ(roundtrip(kMinText), kMinText);
    EXPECT_EQ(parse_amount(kMaxText), kMaxRaw);
    EXPECT_EQ(parse_amount(kMinText), kMinRaw);
    EXPECT_EQ(sqlstate_of([] { parse_amount("170141183460469231731687303715.884105728"); }),
              "22003");
    EXPECT_EQ(sqlstate_of([] { parse_amount("-170141183460469231731687303715.884105728"); }),
              "22003");
    EXPECT_EQ(sqlstate_of([] { parse_amount("1e30"); }), "22003");
    EXPECT_EQ(sqlstate_of([] { parse_amount("1e100000000000"); }), "22003");
    EXPECT_EQ(sqlstate_of([] { parse_amount("100000000000000000000000000000"); }), "");
}

TEST(Parse, RoundedModes) {
    auto r = [](const char* t, RoundMode m) { return text(parse_amount_rounded(t, m)); };
    EXPECT_EQ(r("0.0000000005", RoundMode::HalfEven), "0");
    EXPECT_EQ(r("0.0000000015", RoundMode::HalfEven), "0.000000002");
    EXPECT_EQ(r("0.00000000050001", RoundMode::HalfEven), "0.000000001");
    EXPECT_EQ(r("-0.0000000005", RoundMode::HalfUp), "-0.000000001");
    EXPECT_EQ(r("0.0000000004999", RoundMode::HalfUp), "0");
    EXPECT_EQ(r("0.00000000001", RoundMode::Up), "0.000000001");
    EXPECT_EQ(r("-0.00000000001", RoundMode::Floor), "-0.000000001");
    EXPECT_EQ(r("-0.00000000001", RoundMode::Ceiling), "0");
    EXPECT_EQ(r("1e-30", RoundMode::Up), "0.000000001");
    EXPECT_EQ(r("5e-10", RoundMode::HalfUp), "0.000000001");
    EXPECT_EQ(r("5e-11", RoundMode::HalfUp), "0");
    EXPECT_EQ(sqlstate_of([] {
                  parse_amount_rounded("170141183460469231731687303715.8841057275",
                                       RoundMode::HalfUp);
              }),
              "22003");
}

TEST(Arithmetic, AddSubtractLimits) {
    EXPECT_EQ(add(kMaxRaw, 0), kMaxRaw);
    EXPECT_EQ(sqlstate_of([] { add(kMaxRaw, 1); }), "22003");
    EXPECT_EQ(sqlstate_of([] { add(kMinRaw, -1); }), "22003");
    EXPECT_EQ(sqlstate_of([] { subtract(kMinRaw, 1); }), "22003");
    EXPECT_EQ(sqlstate_of([] { subtract(kMaxRaw, -1); }), "22003");
    EXPECT_EQ(subtract(kMinRaw, kMinRaw), 0);
    EXPECT_EQ(add(-5, 3), -2);
}

TEST(Arithmetic, MultiplyDivide) {
    EXPECT_EQ(multiply(parse_amount("1.5"), 3), parse_amount("4.5"));
    EXPECT_EQ(multiply(parse_amount("-1.5"), -3), parse_amount("4.5"));
    EXPECT_EQ(sqlstate_of([] { multiply(kMaxRaw, 2); }), "22003");
    EXPECT_EQ(sqlstate_of([] { multiply(kMinRaw, -1); }), "");
    EXPECT_EQ(sqlstate_of([] { multiply(kMaxRaw / 2 + 1, 2); }), "22003");
    EXPECT_EQ(text(divide(parse_amount("10"), 3, RoundMode::HalfEven)), "3.333333333");
    EXPECT_EQ(text(divide(parse_amount("20"), 3, RoundMode::HalfEven)), "6.666666667");
    EXPECT_EQ(text(divide(parse_amount("-20"), 3, RoundMode::HalfEven)), "-6.666666667");
    EXPECT_EQ(text(divide(parse_amount("20"), -3, RoundMode::HalfEven)), "-6.666666667");
    // 0.000000001 / 2 is a tie: half-even goes to 0, 0.000000003 / 2 to 0.000000002.
    EXPECT_EQ(divide(1, 2, RoundMode::HalfEven), 0);
    EXPECT_EQ(divide(3, 2, RoundMode::HalfEven), 2);
    EXPECT_EQ(sqlstate_of([] { divide(1, 0, RoundMode::HalfEven); }), "22012");
}

TEST(Rounding, EveryModeAtTies) {
    struct Case {
        const char* in;
        RoundMode mode;
        const char* out;
    };
    const Case cases[] = {
        {"2.5", RoundMode::HalfUp, "3"},     {"-2.5", RoundMode::HalfUp, "-3"},
        {"2.5", RoundMode::HalfEven, "2"},   {"3.5", RoundMode::HalfEven, "4"},
        {"-2.5", RoundMode::HalfEven, "-2"}, {"2.5", RoundMode::HalfDown, "2"},
        {"-2.5", RoundMode::HalfDown, "-2"}, {"2.6", RoundMode::HalfDown, "3"},
        {"2.1", RoundMode::Up, "3"},         {"-2.1", RoundMode::Up, "-3"},
        {"2.9", RoundMode::Down, "2"},       {"-2.9", RoundMode::Down, "-2"},
        {"2.1", RoundMode::Ceiling, "3"},    {"-2.9", RoundMode::Ceiling, "-2"},
        {"2.9", RoundMode::Floor, "2"},      {"-2.1", RoundMode::Floor, "-3"},
        {"2", RoundMode::Up, "2"},           {"0", RoundMode::Floor, "0"},
        {"2.4", RoundMode::HalfUp, "2"},     {"-2.6", RoundMode::HalfEven, "-3"},
    };
    for (const auto& c : cases)
        EXPECT_EQ(text(round_to_digits(parse_amount(c.in), 0, c.mode)), c.out)
            << c.in << " " << round_mode_name(c.mode);
}

TEST(Rounding, Digits) {
    EXPECT_EQ(text(round_to_digits(parse_amount("1.125"), 2, RoundMode::HalfUp)), "1.13");
    EXPECT_EQ(text(round_to_digits(parse_amount("-0.125"), 2, RoundMode::HalfUp)), "-0.13");
    EXPECT_EQ(text(round_to_digits(parse_amount("1.125"), 2, RoundMode::HalfEven)), "1.12");
    EXPECT_EQ(text(round_to_digits(parse_amount("1.000000001"), 9, RoundMode::Up)), "1.000000001");
    EXPECT_EQ(sqlstate_of([] { round_to_digits(1, 10, RoundMode::Up); }), "22023");
    EXPECT_EQ(sqlstate_of([] { round_to_digits(1, -1, RoundMode::Up); }), "22023");
    EXPECT_EQ(sqlstate_of([] { round_to_digits(kMaxRaw, 0, RoundMode::Up); }), "22003");
    EXPECT_EQ(sqlstate_of([] { parse_round_mode("bankers"); }), "22023");
    EXPECT_EQ(parse_round_mode("half_even"), RoundMode::HalfEven);
}

TEST(Double, ShortestForm) {
    EXPECT_EQ(text(from_double(1.5)), "1.5");
    EXPECT_EQ(text(from_double(0.1)), "0.1");
    EXPECT_EQ(text(from_double(-2.25)), "-2.25");
    EXPECT_EQ(text(from_double(0.000000001)), "0.000000001");
    EXPECT_EQ(text(from_double(1e20)), "100000000000000000000");
    EXPECT_EQ(text(from_double(12345678.123456789)), "12345678.12345679"); // the double's digits
    EXPECT_EQ(text(from_double(-0.0)), "0");
    EXPECT_EQ(sqlstate_of([] { from_double(0.1 + 0.2); }), "22P02"); // 0.30000000000000004
    EXPECT_EQ(sqlstate_of([] { from_double(1e-10); }), "22P02");
    EXPECT_EQ(sqlstate_of([] { from_double(1e30); }), "22003");
    EXPECT_EQ(sqlstate_of([] { from_double(std::nan("")); }), "22P02");
    EXPECT_EQ(sqlstate_of([] { from_double(HUGE_VAL); }), "22P02");
    try {
        from_double(0.1 + 0.2);
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("0.30000000000000004"), std::string::npos);
        EXPECT_NE(e.hint().find("decimal"), std::string::npos);
    }
    EXPECT_EQ(to_double(parse_amount("0.1")), 0.1);
    EXPECT_EQ(to_double(parse_amount("-1234.5")), -1234.5);
}

TEST(Format, RandomRoundTrip) {
    std::mt19937_64 rng(20261121);
    for (int i = 0; i < 100000; i++) {
        int128 raw = int128(uint128(rng()) << 64 | rng());
        raw >>= (rng() % 127);
        if (raw < kMinRaw)
            raw = kMinRaw;
        std::string s = text(raw);
        ASSERT_EQ(parse_amount(s), raw) << s;
        // the plain-text fast path and the general parser agree
        ASSERT_EQ(parse_amount_rounded(s, RoundMode::Down), raw) << s;
        ASSERT_EQ(s.find('e'), std::string::npos);
        if (s.find('.') != std::string::npos)
            ASSERT_NE(s.back(), '0') << s;
    }
}

TEST(Format, RawInteger) {
    char buf[kMaxTextLength];
    format_raw_integer(parse_amount("-1.5"), buf);
    EXPECT_STREQ(buf, "-1500000000");
    format_raw_integer(kMaxRaw, buf);
    EXPECT_STREQ(buf, "170141183460469231731687303715884105727");
}
