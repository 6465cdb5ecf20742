// Typed SPI: statements prepared once per backend whose parameter types are
// C++ types (the count checked at compile time), columns read by name with
// their types checked, NULL read as std::optional. Every PostgreSQL call is
// guarded so the ledger code can hold C++ objects.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "civil.hpp"
#include "credit_datum.hpp"
#include "sha256.hpp"

extern "C" {
#include "executor/spi.h"
}

namespace credits::pg {

// C++ types for SQL types that have no C++ type of their own.
// timestamptz (microseconds since 2000-01-01 UTC).
struct Timestamp {
    int64_t us;
    Timestamp(int64_t v = 0) : us(v) {}
    operator int64_t() const { return us; }
};
// bytea, as a parameter (the bytes are copied when bound).
struct Bytes {
    const uint8_t* data;
    std::size_t size;
};
// jsonb and numeric datums passed through as they came.
struct Jsonb {
    Datum value;
};
struct Numeric {
    Datum value;
};
struct TstzRange {
    Datum value;
};
// interval: months, days and microseconds, as PostgreSQL keeps them.
using Period = core::Period;

// The SQL type of each C++ parameter type (credit: the installation's).
template <class T> struct Tag {};
Oid sql_type(Tag<std::string>);
Oid sql_type(Tag<int64_t>);
Oid sql_type(Tag<int32_t>);
Oid sql_type(Tag<bool>);
Oid sql_type(Tag<int128>);
Oid sql_type(Tag<Timestamp>);
Oid sql_type(Tag<Bytes>);
Oid sql_type(Tag<Jsonb>);
Oid sql_type(Tag<Numeric>);
Oid sql_type(Tag<TstzRange>);
Oid sql_type(Tag<Period>);
template <class T> Oid sql_type(Tag<std::optional<T>>) {
    return sql_type(Tag<T>{});
}

// A parameter value as a Datum in the current memory context.
Datum to_datum(const std::string& v);
Datum to_datum(int64_t v);
Datum to_datum(int32_t v);
Datum to_datum(bool v);
Datum to_datum(int128 v);
Datum to_datum(Timestamp v);
Datum to_datum(Bytes v);
Datum to_datum(Jsonb v);
Datum to_datum(Numeric v);
Datum to_datum(TstzRange v);
Datum to_datum(Period v);

// A one-dimensional array parameter; T may be std::optional<U> (NULL elements).
template <class T> struct Array { std::vector<T> items; };
// The array type whose elements have type `element`.
Oid array_type_of(Oid element);
// An array Datum of n elements of type `element`; nulls[i] marks a NULL.
Datum array_datum(Oid element, const Datum* values, const bool* nulls, int n);
template <class T> Oid sql_type(Tag<Array<T>>);
template <class T> Datum to_datum(const Array<T>& a);

template <class T> void bind(const T& v, Datum& value, char& null) {
    value = to_datum(v);
    null = ' ';
}
template <class T> void bind(const std::optional<T>& v, Datum& value, char& null) {
    if (v)
        bind(*v, value, null);
    else
        value = 0, null = 'n';
}

// A column value read from a Datum (the column's type checked first).
void from_datum(Datum d, std::string& out);
void from_datum(Datum d, int64_t& out);
void from_datum(Datum d, int32_t& out);
void from_datum(Datum d, bool& out);
void from_datum(Datum d, int128& out);
void from_datum(Datum d, Timestamp& out);
void from_datum(Datum d, Period& out);

// What get<T>() reads: T, or U when T is std::optional<U>.
template <class T> struct ColumnType;

template <class T> Oid sql_type(Tag<Array<T>>) {
    return array_type_of(sql_type(Tag<typename ColumnType<T>::value>{}));
}
template <class T> Datum to_datum(const Array<T>& a) {
    std::size_t n = a.items.size();
    std::vector<Datum> values(n);
    std::unique_ptr<bool[]> nulls(new bool[n + 1]());
    for (std::size_t i = 0; i < n; i++) {
        if constexpr (ColumnType<T>::nullable) {
            nulls[i] = !a.items[i];
            if (a.items[i])
                values[i] = to_datum(*a.items[i]);
        } else {
            values[i] = to_datum(a.items[i]);
        }
    }
    return array_datum(sql_type(Tag<typename ColumnType<T>::value>{}), values.data(), nulls.get(),
                       int(n));
}

// What a prepared statement keeps: its SQL and its plan for this backend.
struct PreparedStatement {
    const char* sql;
    SPIPlanPtr plan = nullptr;
    Oid extension = InvalidOid; // the installation the plan was made for
};

// A statement taking parameters of types Args..., prepared on first use and
// kept for the backend's life; each "@extschema@" in its SQL becomes the
// extension's schema (the functions pin search_path to pg_catalog, pg_temp,
// so the type and its operators are always named with their schema).
template <class... Args> struct Statement : PreparedStatement {
    explicit Statement(const char* text) : PreparedStatement{text} {}
};

template <class T> struct ColumnType {
    using value = T;
    static constexpr bool nullable = false;
};
template <class T> struct ColumnType<std::optional<T>> {
    using value = T;
    static constexpr bool nullable = true;
};

// T itself, kept out of template argument deduction.
template <class T> struct Exactly { using type = T; };

// An SPI connection for the life of one ledger call.
class Spi {
  public:
    Spi();
    // Disconnects; only on the success path (an error's abort cleans up).
    void finish();

    // Runs a statement; returns the number of rows processed.
    template <class... Args>
    uint64_t run(Statement<Args...>& statement, const typename Exactly<Args>::type&... args) {
        return execute<Args...>(statement, false, args...);
    }
    // Runs a statement that only reads (sees the snapshot of the call).
    template <class... Args>
    uint64_t read(Statement<Args...>& statement, const typename Exactly<Args>::type&... args) {
        return execute<Args...>(statement, true, args...);
    }
    // Opens a read-only cursor over a statement's rows.
    template <class... Args>
    void open_cursor(Statement<Args...>& statement, const typename Exactly<Args>::type&... args) {
        Datum values[sizeof...(Args) + 1];
        char nulls[sizeof...(Args) + 1];
        prepare<Args...>(statement);
        bind_all<Args...>(values, nulls, args...);
        open_plan_cursor(statement, values, nulls);
    }
    // Fetches up to n rows of the open cursor into the result; returns how many.
    uint64_t fetch(long n);
    void close_cursor();

    // Column `name` of row `row` of the last result, as T; T is
    // std::optional<U> when the column may be NULL (a NULL read as a plain
    // type is an error, never 0 or "").
    template <class T> T get(uint64_t row, const char* name) {
        using Value = typename ColumnType<T>::value;
        bool null;
        Datum d = value(row, name, sql_type(Tag<Value>{}), null);
        if (null) {
            if constexpr (ColumnType<T>::nullable)
                return std::nullopt;
            else
                null_column(name);
        }
        Value out;
        from_datum(d, out);
        return out;
    }
    // A bytea column of exactly kHashSize bytes; false when NULL or another size.
    bool hash(uint64_t row, const char* name, uint8_t out[core::kHashSize]);
    // A column's Datum copied into the caller's memory context (survives
    // finish()); nullopt when NULL.
    std::optional<Datum> datum_copy(uint64_t row, const char* name);

  private:
    template <class... Args>
    uint64_t execute(Statement<Args...>& statement, bool read_only, const Args&... args) {
        Datum values[sizeof...(Args) + 1];
        char nulls[sizeof...(Args) + 1];
        prepare<Args...>(statement);
        bind_all<Args...>(values, nulls, args...);
        return execute_plan(statement, values, nulls, read_only);
    }
    template <class... Args> void prepare(PreparedStatement& statement) {
        if (stale(statement)) {
            Oid types[] = {sql_type(Tag<Args>{})..., InvalidOid};
            make_plan(statement, int(sizeof...(Args)), types);
        }
    }
    template <class... Args> void bind_all(Datum* values, char* nulls, const Args&... args) {
        std::size_t i = 0;
        ((bind(args, values[i], nulls[i]), ++i), ...);
    }
    bool stale(const PreparedStatement& statement);
    void make_plan(PreparedStatement& statement, int nargs, Oid* types);
    uint64_t execute_plan(PreparedStatement& statement, Datum* values, char* nulls, bool read_only);
    void open_plan_cursor(PreparedStatement& statement, Datum* values, char* nulls);
    // The Datum of a column, checking that it exists and has type `type`.
    Datum value(uint64_t row, const char* name, Oid type, bool& null);
    [[noreturn]] void null_column(const char* name);

    Oid extension_; // the installation this connection prepares statements for
    MemoryContext caller_;
    Portal cursor_ = nullptr;
};

// The OID of the extension's credit type (for parameters and results).
Oid credit_type_oid();

} // namespace credits::pg
