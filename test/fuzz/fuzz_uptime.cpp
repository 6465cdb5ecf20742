// libFuzzer target: measure_uptime against a unit-by-unit oracle on a small
// time line: mark outage units inside the period, clear excluded units, drop
// maximal runs shorter than min_outage, count the rest as downtime.
#include <cstdlib>
#include <vector>

#include "error.hpp"
#include "fuzz_input.hpp"
#include "sla.hpp"

using namespace credits::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    credits::fuzz::Input in(data, size);
    constexpr int kUnits = 64;
    Span period{int64_t(in.below(kUnits)), int64_t(in.below(kUnits + 1))};
    auto spans = [&](std::size_t most) {
        std::vector<Span> out(in.below(most + 1));
        for (Span& s : out) // may be empty, inverted, or outside the period
            s = {int64_t(in.below(kUnits + 8)) - 4, int64_t(in.below(kUnits + 8)) - 4};
        return out;
    };
    std::vector<Span> outages = spans(6), excluded = spans(3);
    int64_t min_outage = int64_t(in.below(6));

    Uptime u;
    try {
        u = measure_uptime(period, outages, excluded, min_outage);
    } catch (const Error&) {
        if (period.end > period.start)
            std::abort(); // only an empty period is an error here
        return 0;
    }
    std::vector<bool> down(kUnits + 8, false);
    for (const Span& s : outages)
        for (int64_t x = s.start; x < s.end; x++)
            if (x >= period.start && x < period.end)
                down[size_t(x + 4)] = true;
    for (const Span& s : excluded)
        for (int64_t x = s.start; x < s.end; x++)
            if (x + 4 >= 0 && size_t(x + 4) < down.size())
                down[size_t(x + 4)] = false;
    int64_t downtime = 0;
    for (size_t x = 0; x < down.size();) {
        size_t run = 0;
        while (x + run < down.size() && down[x + run])
            run++;
        if (run >= size_t(min_outage) && run > 0)
            downtime += int64_t(run);
        x += run > 0 ? run : 1;
    }
    int64_t total = period.end - period.start;
    if (u.total != total || u.up != total - downtime || u.up < 0 || u.up > u.total)
        std::abort();
    return 0;
}
