// Unit tests of reward amounts: percent rounding, fixed credits, caps, errors.
#include <gtest/gtest.h>

#include <string>

#include "error.hpp"
#include "reward.hpp"

using namespace credits::core;

namespace {

std::string text(int128 v) {
    char buf[kMaxTextLength];
    format_amount(v, buf);
    return buf;
}

RewardRule rule(const char* percent, const char* fixed, int digits = 2,
                std::optional<const char*> cap = std::nullopt) {
    RewardRule r;
    r.percent = parse_decimal(percent);
    r.fixed_credits = parse_amount(fixed);
    r.digits = digits;
    if (cap)
        r.cap = parse_amount(*cap);
    return r;
}

std::string reward(const RewardRule& r, std::optional<const char*> base, const char* given = "0") {
    return text(reward_amount(r, base ? std::optional<int128>(parse_amount(*base)) : std::nullopt,
                              parse_amount(given)));
}

} // namespace

TEST(Reward, PercentRoundedHalfUpOnce) {
    EXPECT_EQ(reward(rule("10", "0"), "425"), "42.5");
    EXPECT_EQ(reward(rule("7.5", "0"), "0.1"), "0.01"); // 0.0075 -> 0.01
    EXPECT_EQ(reward(rule("7.5", "0"), "0.06"), "0");   // 0.0045 -> 0.00
    EXPECT_EQ(reward(rule("12.5", "0", 0), "4"), "1");  // 0.5 -> 1
    EXPECT_EQ(reward(rule("33.333333333", "0", 9), "1"), "0.333333333");
    // rounded once from the exact product: 0.12499999999 -> 0.12, never 0.13
    EXPECT_EQ(reward(rule("1.2499999999", "0"), "10"), "0.12");
}

TEST(Reward, FixedCreditsAndCaps) {
    EXPECT_EQ(reward(rule("0", "25"), std::nullopt), "25");
    EXPECT_EQ(reward(rule("10", "5"), "100"), "15");
    EXPECT_EQ(reward(rule("10", "0", 2, "60"), "425", "42.5"), "17.5");
    EXPECT_EQ(reward(rule("10", "0", 2, "60"), "425", "60"), "0");
    EXPECT_EQ(reward(rule("10", "0", 2, "60"), "425", "70"), "-10"); // nothing left
}

TEST(Reward, Errors) {
    auto code = [](auto f) {
        try {
            f();
        } catch (const Error& e) {
            return std::string(e.sqlstate());
        }
        return std::string("none");
    };
    EXPECT_EQ(code([] { reward(rule("10", "0"), std::nullopt); }), "22004");
    EXPECT_EQ(code([] { reward(rule("10", "0"), "-1"); }), "22023");
    EXPECT_EQ(code([] { reward(rule("100", "0"), "170141183460469231731687303715.884105727"); }),
              "none");
    EXPECT_EQ(code([] { reward(rule("200", "0"), "170141183460469231731687303715.884105727"); }),
              "22003");
}
