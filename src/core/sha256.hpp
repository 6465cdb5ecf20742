// SHA-256 (FIPS 180-4), for the journal's hash chain.
#pragma once

#include <cstddef>
#include <cstdint>

namespace credits::core {

inline constexpr std::size_t kHashSize = 32;

// Incremental SHA-256.
class Sha256 {
  public:
    Sha256();
    void update(const void* data, std::size_t size);
    void finish(uint8_t out[kHashSize]);

  private:
    void compress(const uint8_t block[64]);
    uint32_t state_[8];
    uint8_t buffer_[64];
    std::size_t buffered_ = 0;
    uint64_t total_ = 0;
};

} // namespace credits::core
