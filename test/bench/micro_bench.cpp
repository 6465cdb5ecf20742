// Micro-benchmarks of the core's hot paths: text in, text out, summing.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "accumulator.hpp"
#include "amount.hpp"

using namespace credits::core;

namespace {
std::vector<std::string> sample_texts() {
    std::vector<std::string> v;
    for (int i = 0; i < 1024; i++)
        v.push_back(std::to_string(i * 7919 % 1000000) + "." + std::to_string(100000000 + i * 31));
    return v;
}
} // namespace

// Parsing typical amounts.
static void BM_Parse(benchmark::State& state) {
    auto texts = sample_texts();
    size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(parse_amount(texts[i++ & 1023]));
}
BENCHMARK(BM_Parse);

// Printing typical amounts.
static void BM_Format(benchmark::State& state) {
    auto texts = sample_texts();
    std::vector<int128> values;
    for (auto& t : texts)
        values.push_back(parse_amount(t));
    char buf[kMaxTextLength];
    size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(format_amount(values[i++ & 1023], buf));
}
BENCHMARK(BM_Format);

// Accumulating into the wide sum.
static void BM_Accumulate(benchmark::State& state) {
    Accumulator acc;
    int128 v = parse_amount("12345.678901234");
    for (auto _ : state) {
        acc.add(v);
        benchmark::DoNotOptimize(acc);
    }
}
BENCHMARK(BM_Accumulate);
