// Guarded SPI calls and per-backend prepared statements.
#include "spi.hpp"

#include "error.hpp"

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
#include "utils/array.h"
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

Oid sql_type(Tag<std::string>) {
    return TEXTOID;
}
Oid sql_type(Tag<int64_t>) {
    return INT8OID;
}
Oid sql_type(Tag<int32_t>) {
    return INT4OID;
}
Oid sql_type(Tag<bool>) {
    return BOOLOID;
}
Oid sql_type(Tag<int128>) {
    return cached_credit; // set for this connection's installation before use
}
Oid sql_type(Tag<Timestamp>) {
    return TIMESTAMPTZOID;
}
Oid sql_type(Tag<Bytes>) {
    return BYTEAOID;
}
Oid sql_type(Tag<Jsonb>) {
    return JSONBOID;
}
Oid sql_type(Tag<Numeric>) {
    return NUMERICOID;
}

Oid sql_type(Tag<TstzRange>) {
    return TSTZRANGEOID;
}
Oid sql_type(Tag<Period>) {
    return INTERVALOID;
}

Oid array_type_of(Oid element) {
    Oid type = InvalidOid;
    guarded([&] { type = get_array_type(element); });
    return type;
}

Datum array_datum(Oid element, const Datum* values, const bool* nulls, int n) {
    Datum d = 0;
    guarded([&] {
        int16 len;
        bool byval;
        char align;
        get_typlenbyvalalign(element, &len, &byval, &align);
        int dims[1] = {n};
        int lbs[1] = {1};
        d = PointerGetDatum(construct_md_array(const_cast<Datum*>(values), const_cast<bool*>(nulls),
                                               1, dims, lbs, element, len, byval, align));
    });
    return d;
}

Datum to_datum(const std::string& v) {
    Datum d = 0;
    guarded([&] { d = CStringGetTextDatum(v.c_str()); });
    return d;
}
Datum to_datum(int64_t v) {
    return Int64GetDatum(v);
}
Datum to_datum(int32_t v) {
    return Int32GetDatum(v);
}
Datum to_datum(bool v) {
    return BoolGetDatum(v);
}
Datum to_datum(int128 v) {
    Datum d = 0;
    guarded([&] { d = credit_datum(v); });
    return d;
}
Datum to_datum(Timestamp v) {
    return TimestampTzGetDatum(v.us);
}
Datum to_datum(Bytes v) {
    Datum d = 0;
    guarded([&] {
        bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + v.size));
        SET_VARSIZE(b, VARHDRSZ + v.size);
        memcpy(VARDATA(b), v.data, v.size);
        d = PointerGetDatum(b);
    });
    return d;
}
Datum to_datum(Jsonb v) {
    return v.value;
}
Datum to_datum(Numeric v) {
    return v.value;
}
Datum to_datum(TstzRange v) {
    return v.value;
}
Datum to_datum(Period v) {
    Datum d = 0;
    guarded([&] {
        auto* i = static_cast<::Interval*>(palloc(sizeof(::Interval)));
        i->month = v.months;
        i->day = v.days;
        i->time = v.micros;
        d = IntervalPGetDatum(i);
    });
    return d;
}

void from_datum(Datum d, std::string& out) {
    const char* s = nullptr;
    guarded([&] { s = TextDatumGetCString(d); });
    out = s;
}
void from_datum(Datum d, int64_t& out) {
    out = DatumGetInt64(d);
}
void from_datum(Datum d, int32_t& out) {
    out = DatumGetInt32(d);
}
void from_datum(Datum d, bool& out) {
    out = DatumGetBool(d);
}
void from_datum(Datum d, int128& out) {
    out = credit_value(d);
}
void from_datum(Datum d, Timestamp& out) {
    out = DatumGetTimestampTz(d);
}
void from_datum(Datum d, Period& out) {
    const ::Interval* i = DatumGetIntervalP(d);
    out = {i->month, i->day, i->time};
}

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

bool Spi::stale(const PreparedStatement& statement) {
    credit_type_of(extension_); // the credit OID the parameter types name
    return statement.plan == nullptr || statement.extension != extension_;
}

void Spi::make_plan(PreparedStatement& statement, int nargs, Oid* types) {
    std::string sql = with_schema(statement.sql);
    guarded([&] {
        SPIPlanPtr plan = SPI_prepare(sql.c_str(), nargs, types);
        if (plan == nullptr)
            elog(ERROR, "credits: SPI_prepare failed (%s): %s", SPI_result_code_string(SPI_result),
                 statement.sql);
        SPI_keepplan(plan);
        if (statement.plan != nullptr)
            SPI_freeplan(statement.plan);
        statement.plan = plan;
    });
    statement.extension = extension_;
}

void Spi::open_plan_cursor(PreparedStatement& statement, Datum* values, char* nulls) {
    guarded([&] { cursor_ = SPI_cursor_open(nullptr, statement.plan, values, nulls, true); });
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

uint64_t Spi::execute_plan(PreparedStatement& statement, Datum* values, char* nulls,
                           bool read_only) {
    uint64_t processed = 0;
    guarded([&] {
        int rc = SPI_execute_plan(statement.plan, values, nulls, read_only, 0);
        if (rc < 0)
            elog(ERROR, "credits: SPI_execute_plan failed (%s): %s", SPI_result_code_string(rc),
                 statement.sql);
        processed = SPI_processed;
    });
    return processed;
}

namespace {

// Column `name` of the last result and its type (plain frame: call it
// guarded); 0 when there is none.
int column_of(const char* name, Oid& type) {
    int column = SPI_fnumber(SPI_tuptable->tupdesc, name);
    type = column > 0 ? SPI_gettypeid(SPI_tuptable->tupdesc, column) : InvalidOid;
    return column > 0 ? column : 0;
}

[[noreturn]] void no_column(const char* name) {
    throw core::Error("XX000", std::string("credits: the result has no column \"") + name + "\"");
}

} // namespace

Datum Spi::value(uint64_t row, const char* name, Oid type, bool& null) {
    Datum d = 0;
    bool isnull = true;
    int column = 0;
    Oid actual = InvalidOid;
    guarded([&] {
        column = column_of(name, actual);
        if (column > 0 && actual == type)
            d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column, &isnull);
    });
    if (column == 0)
        no_column(name);
    if (actual != type)
        throw core::Error("XX000", std::string("credits: column \"") + name + "\" has type " +
                                       std::to_string(actual) + ", not " + std::to_string(type));
    null = isnull;
    return d;
}

void Spi::null_column(const char* name) {
    throw core::Error("XX000", std::string("credits: column \"") + name + "\" is NULL");
}

bool Spi::hash(uint64_t row, const char* name, uint8_t out[core::kHashSize]) {
    bool null;
    Datum d = value(row, name, BYTEAOID, null);
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

std::optional<Datum> Spi::datum_copy(uint64_t row, const char* name) {
    Datum copy = 0;
    bool null = true;
    int column = 0;
    guarded([&] {
        Oid type;
        column = column_of(name, type);
        if (column == 0)
            return;
        Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column, &null);
        if (null)
            return;
        int16 len;
        bool byval;
        get_typlenbyval(type, &len, &byval);
        MemoryContext old = MemoryContextSwitchTo(caller_);
        copy = datumCopy(d, byval, len);
        MemoryContextSwitchTo(old);
    });
    if (column == 0)
        no_column(name);
    if (null)
        return std::nullopt;
    return copy;
}

} // namespace credits::pg
