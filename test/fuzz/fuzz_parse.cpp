// libFuzzer target for the credit text parser: any input either fails with a
// core::Error or parses to a value whose canonical text parses back to it.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "amount.hpp"
#include "error.hpp"

using namespace credits::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    int128 raw;
    try {
        raw = parse_amount(input);
    } catch (const Error&) {
        // The rounding parser must agree that the text is not a valid literal
        // or round it; it may never crash.
        try {
            parse_amount_rounded(input, RoundMode::HalfEven);
        } catch (const Error&) {
        }
        return 0;
    }
    char buf[kMaxTextLength];
    size_t len = format_amount(raw, buf);
    if (len >= kMaxTextLength || parse_amount(std::string_view(buf, len)) != raw)
        std::abort();
    if (parse_amount_rounded(input, RoundMode::Floor) != raw)
        std::abort();
    return 0;
}
