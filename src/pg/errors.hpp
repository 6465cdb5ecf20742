// The extension's own SQLSTATE class CR (see docs/api.md).
#pragma once

namespace credits::pg {

inline constexpr const char* kInsufficientCredits = "CR001";
inline constexpr const char* kAccountNotFound = "CR002";
inline constexpr const char* kAccountNotActive = "CR003";
inline constexpr const char* kIdempotencyConflict = "CR004";
inline constexpr const char* kAppendOnly = "CR005";
inline constexpr const char* kUnitMismatch = "CR006";
inline constexpr const char* kClockBeforeLastEntry = "CR007";
inline constexpr const char* kHoldNotActive = "CR008";
inline constexpr const char* kGrantInUse = "CR009";
inline constexpr const char* kGrantNotActive = "CR010";
inline constexpr const char* kSlaPeriodOverlap = "CR011";
inline constexpr const char* kChainViolation = "CR012";

} // namespace credits::pg

// errcode() for a CR code given as "CR00n".
#define CREDITS_ERRCODE(code) errcode(MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4]))
