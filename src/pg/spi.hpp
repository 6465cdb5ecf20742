// SPI with statements prepared once per backend, every call guarded so the
// ledger code can hold C++ objects. Results are copied out at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "credit_datum.hpp"
#include "sha256.hpp"

extern "C" {
#include "executor/spi.h"
}

namespace credits::pg {

// A statement prepared on first use and kept for the backend's life; each
// "@extschema@" in its SQL becomes the extension's schema (the functions pin
// search_path to pg_catalog, pg_temp, so the type and its operators are
// always named with their schema). `types` has one letter per parameter: T text, I int8, i int4, C
// credit, S timestamptz, B bytea, J jsonb, N numeric.
struct Statement {
    const char* sql;
    const char* types;
    SPIPlanPtr plan = nullptr;
    Oid extension = InvalidOid; // the installation the plan was made for
};

// One parameter value: a Datum, or NULL.
struct Param {
    Datum value = 0;
    bool null = true;
};

Param text_param(const std::string& s);
Param text_param(const std::optional<std::string>& s);
Param int8_param(int64_t v);
Param int4_param(int32_t v);
Param credit_param(int128 v);
Param timestamp_param(std::optional<int64_t> v);
Param bytea_param(const uint8_t* bytes, std::size_t size);
Param datum_param(Datum d, bool null);

// An SPI connection for the life of one ledger call.
class Spi {
  public:
    Spi();
    // Disconnects; only on the success path (an error's abort cleans up).
    void finish();
    // Runs a statement; returns the number of rows processed.
    uint64_t run(Statement& statement, std::initializer_list<Param> params, bool read_only = false);

    // Opens a read-only cursor over a statement's rows.
    void open_cursor(Statement& statement, std::initializer_list<Param> params);
    // Fetches up to n rows of the open cursor into the result; returns how many.
    uint64_t fetch(long n);
    void close_cursor();

    // Result accessors for row `row` of the last run; column numbers from 1.
    bool is_null(uint64_t row, int column);
    int64_t int8(uint64_t row, int column);
    int32_t int4(uint64_t row, int column);
    bool boolean(uint64_t row, int column);
    int128 credit(uint64_t row, int column);
    std::string string(uint64_t row, int column);
    std::optional<int64_t> timestamp(uint64_t row, int column);
    // A bytea of exactly kHashSize bytes; false when NULL.
    bool hash(uint64_t row, int column, uint8_t out[core::kHashSize]);
    // A Datum copied into the caller's memory context (survives finish()).
    Datum datum_copy(uint64_t row, int column, bool& null);

  private:
    Datum value(uint64_t row, int column, bool& null);
    SPIPlanPtr prepared(Statement& statement);
    Oid extension_; // the installation this connection prepares statements for
    MemoryContext caller_;
    Portal cursor_ = nullptr;
};

// The OID of the extension's credit type (for parameters and results).
Oid credit_type_oid();

} // namespace credits::pg
