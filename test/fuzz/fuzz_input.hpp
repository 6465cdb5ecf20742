// Reading fuzz input as a stream of small integers (zeros once it runs out).
#pragma once

#include <cstddef>
#include <cstdint>

namespace credits::fuzz {

class Input {
  public:
    Input(const uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    // The next byte, or 0 past the end.
    uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
    // A value in [0, bound) from the next bytes (bound > 0).
    uint64_t below(uint64_t bound) {
        uint64_t v = 0;
        for (uint64_t span = 1; span < bound && span != 0; span <<= 8)
            v = (v << 8) | byte();
        return v % bound;
    }
    bool done() const { return pos_ >= size_; }

  private:
    const uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
};

} // namespace credits::fuzz
