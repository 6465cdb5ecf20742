// Unit tests of the wide sum/avg accumulator.
#include <gtest/gtest.h>

#include "accumulator.hpp"
#include "error.hpp"

using namespace credits::core;

TEST(Accumulator, SmallSums) {
    Accumulator acc;
    acc.add(5);
    acc.add(-7);
    EXPECT_EQ(acc.total(), -2);
    EXPECT_EQ(acc.count, 2);
    acc.remove(-7);
    EXPECT_EQ(acc.total(), 5);
}

TEST(Accumulator, PartialSumsMayOverflowFinalMayNot) {
    Accumulator acc;
    acc.add(kMaxRaw);
    acc.add(kMaxRaw);
    acc.add(kMaxRaw);
    EXPECT_THROW(acc.total(), Error);
    acc.add(kMinRaw);
    acc.add(kMinRaw);
    EXPECT_EQ(acc.total(), kMaxRaw);
    acc.add(kMinRaw);
    acc.add(kMinRaw);
    EXPECT_EQ(acc.total(), kMinRaw);
    acc.add(-1);
    EXPECT_THROW(acc.total(), Error);
}

TEST(Accumulator, MergeMatchesSequential) {
    Accumulator a, b, all;
    for (int i = 0; i < 1000; i++) {
        int128 v = (i % 3 == 0 ? kMaxRaw / 7 : -kMaxRaw / 5) + i;
        (i % 2 ? a : b).add(v);
        all.add(v);
    }
    a.merge(b);
    EXPECT_EQ(a.low(), all.low());
    EXPECT_EQ(a.high, all.high);
    EXPECT_EQ(a.count, all.count);
}

TEST(Accumulator, MeanRoundsHalfEven) {
    Accumulator acc;
    acc.add(1);
    acc.add(2); // 1.5 raw units -> 2
    EXPECT_EQ(acc.mean(), 2);
    acc.add(2); // 5/3 -> 2
    EXPECT_EQ(acc.mean(), 2);
    Accumulator tie;
    tie.add(1);
    tie.add(0); // 0.5 -> 0 (even)
    EXPECT_EQ(tie.mean(), 0);
    Accumulator big;
    big.add(kMaxRaw);
    big.add(kMaxRaw);
    EXPECT_EQ(big.mean(), kMaxRaw);
    Accumulator neg;
    neg.add(-3);
    neg.add(0); // -1.5 -> -2
    EXPECT_EQ(neg.mean(), -2);
}
