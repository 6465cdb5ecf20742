// Guarded SPI calls and per-backend prepared statements.
#include "spi.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
}

namespace credits::pg {

namespace {

// The installed extension's OID and its credit type, looked up per call so
// that DROP/CREATE EXTENSION in one session is noticed.
Oid current_extension() {
    Oid oid = InvalidOid;
    guarded([&] { oid = get_extension_oid("credits", false); });
    return oid;
}

// The schema the extension was created in (PostgreSQL 15 does not export
// get_extension_schema()).
Oid extension_schema(Oid extension) {
    Oid schema = InvalidOid;
    guarded([&] {
        Relation rel = table_open(ExtensionRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(extension));
        SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        if (HeapTupleIsValid(tuple))
            schema = ((Form_pg_extension)GETSTRUCT(tuple))->extnamespace;
        systable_endscan(scan);
        table_close(rel, AccessShareLock);
    });
    return schema;
}

Oid cached_extension = InvalidOid;
Oid cached_credit = InvalidOid;
std::string cached_schema; // quoted, for "@extschema@" in statements

// The type OID for a parameter letter.
Oid type_for(char letter) {
    switch (letter) {
    case 'T':
        return TEXTOID;
    case 'I':
        return INT8OID;
    case 'i':
        return INT4OID;
    case 'C':
        return cached_credit;
    case 'S':
        return TIMESTAMPTZOID;
    case 'B':
        return BYTEAOID;
    case 'J':
        return JSONBOID;
    case 'N':
        return NUMERICOID;
    }
    return InvalidOid;
}

} // namespace

// The statement's SQL with "@extschema@" replaced by the extension's schema.
static std::string with_schema(const char* sql) {
    static const std::string placeholder = "@extschema@";
    std::string out = sql;
    for (std::size_t at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + cached_schema.size()))
        out.replace(at, placeholder.size(), cached_schema);
    return out;
}

// The credit type of installation `extension`, looked up once per installation.
static Oid credit_type_of(Oid extension) {
    if (extension != cached_extension) {
        Oid schema = extension_schema(extension);
        const char* quoted = nullptr;
        guarded([&] {
            cached_credit = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
                                            CStringGetDatum("credit"), ObjectIdGetDatum(schema));
            quoted = quote_identifier(get_namespace_name(schema));
        });
        cached_schema = quoted;
        cached_extension = extension;
    }
    return cached_credit;
}

Oid credit_type_oid() {
    return credit_type_of(current_extension());
}

Param text_param(const std::string& s) {
    Param p;
    guarded([&] { p.value = CStringGetTextDatum(s.c_str()); });
    p.null = false;
    return p;
}

Param text_param(const std::optional<std::string>& s) {
    return s ? text_param(*s) : Param{};
}

Param int8_param(int64_t v) {
    return Param{Int64GetDatum(v), false};
}

Param int4_param(int32_t v) {
    return Param{Int32GetDatum(v), false};
}

Param credit_param(int128 v) {
    Param p;
    guarded([&] { p.value = credit_datum(v); });
    p.null = false;
    return p;
}

Param timestamp_param(std::optional<int64_t> v) {
    return v ? Param{TimestampTzGetDatum(*v), false} : Param{};
}

Param bytea_param(const uint8_t* bytes, std::size_t size) {
    Param p;
    guarded([&] {
        bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + size));
        SET_VARSIZE(b, VARHDRSZ + size);
        memcpy(VARDATA(b), bytes, size);
        p.value = PointerGetDatum(b);
    });
    p.null = false;
    return p;
}

Param datum_param(Datum d, bool null) {
    return Param{d, null};
}

namespace {

// SPI's parameter arrays from a list of Params (at most 16).
void pack(std::initializer_list<Param> params, Datum* values, char* nulls) {
    int n = 0;
    for (const Param& p : params) {
        values[n] = p.value;
        nulls[n] = p.null ? 'n' : ' ';
        n++;
    }
}

} // namespace

// The installation is looked up once per connection, not per statement.
Spi::Spi() : extension_(current_extension()) {
    guarded([&] {
        caller_ = CurrentMemoryContext;
        SPI_connect();
    });
}

void Spi::finish() {
    guarded([&] { SPI_finish(); });
}

SPIPlanPtr Spi::prepared(Statement& statement) {
    if (statement.plan == nullptr || statement.extension != extension_) {
        credit_type_of(extension_);
        int nargs = int(strlen(statement.types));
        Oid types[16];
        for (int i = 0; i < nargs; i++)
            types[i] = type_for(statement.types[i]);
        std::string sql = with_schema(statement.sql);
        guarded([&] {
            SPIPlanPtr plan = SPI_prepare(sql.c_str(), nargs, types);
            if (plan == nullptr)
                elog(ERROR, "credits: SPI_prepare failed (%s): %s",
                     SPI_result_code_string(SPI_result), statement.sql);
            SPI_keepplan(plan);
            if (statement.plan != nullptr)
                SPI_freeplan(statement.plan);
            statement.plan = plan;
        });
        statement.extension = extension_;
    }
    return statement.plan;
}

void Spi::open_cursor(Statement& statement, std::initializer_list<Param> params) {
    SPIPlanPtr plan = prepared(statement);
    Datum values[16];
    char nulls[16];
    pack(params, values, nulls);
    guarded([&] { cursor_ = SPI_cursor_open(nullptr, plan, values, nulls, true); });
}

uint64_t Spi::fetch(long n) {
    uint64_t processed = 0;
    guarded([&] {
        SPI_cursor_fetch(cursor_, true, n);
        processed = SPI_processed;
    });
    return processed;
}

void Spi::close_cursor() {
    guarded([&] { SPI_cursor_close(cursor_); });
    cursor_ = nullptr;
}

uint64_t Spi::run(Statement& statement, std::initializer_list<Param> params, bool read_only) {
    SPIPlanPtr plan = prepared(statement);
    Datum values[16];
    char nulls[16];
    pack(params, values, nulls);
    uint64_t processed = 0;
    guarded([&] {
        int rc = SPI_execute_plan(plan, values, nulls, read_only, 0);
        if (rc < 0)
            elog(ERROR, "credits: SPI_execute_plan failed (%s): %s", SPI_result_code_string(rc),
                 statement.sql);
        processed = SPI_processed;
    });
    return processed;
}

Datum Spi::value(uint64_t row, int column, bool& null) {
    Datum d = 0;
    bool isnull = true;
    guarded([&] {
        d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column, &isnull);
    });
    null = isnull;
    return d;
}

bool Spi::is_null(uint64_t row, int column) {
    bool null;
    value(row, column, null);
    return null;
}

int64_t Spi::int8(uint64_t row, int column) {
    bool null;
    Datum d = value(row, column, null);
    return null ? 0 : DatumGetInt64(d);
}

int32_t Spi::int4(uint64_t row, int column) {
    bool null;
    Datum d = value(row, column, null);
    return null ? 0 : DatumGetInt32(d);
}

bool Spi::boolean(uint64_t row, int column) {
    bool null;
    Datum d = value(row, column, null);
    return !null && DatumGetBool(d);
}

int128 Spi::credit(uint64_t row, int column) {
    bool null;
    Datum d = value(row, column, null);
    return null ? 0 : credit_value(d);
}

std::string Spi::string(uint64_t row, int column) {
    bool null;
    Datum d = value(row, column, null);
    if (null)
        return {};
    const char* s = nullptr;
    guarded([&] { s = TextDatumGetCString(d); });
    return s;
}

std::optional<int64_t> Spi::timestamp(uint64_t row, int column) {
    bool null;
    Datum d = value(row, column, null);
    if (null)
        return std::nullopt;
    return DatumGetTimestampTz(d);
}

bool Spi::hash(uint64_t row, int column, uint8_t out[core::kHashSize]) {
    bool null;
    Datum d = value(row, column, null);
    if (null)
        return false;
    bool ok = false;
    guarded([&] {
        bytea* b = DatumGetByteaPP(d);
        if (VARSIZE_ANY_EXHDR(b) == core::kHashSize) {
            memcpy(out, VARDATA_ANY(b), core::kHashSize);
            ok = true;
        }
    });
    return ok;
}

Datum Spi::datum_copy(uint64_t row, int column, bool& null) {
    Datum d = value(row, column, null);
    if (null)
        return 0;
    Datum copy = 0;
    guarded([&] {
        Oid type = SPI_gettypeid(SPI_tuptable->tupdesc, column);
        int16 len;
        bool byval;
        get_typlenbyval(type, &len, &byval);
        MemoryContext old = MemoryContextSwitchTo(caller_);
        copy = datumCopy(d, byval, len);
        MemoryContextSwitchTo(old);
    });
    return copy;
}

} // namespace credits::pg
