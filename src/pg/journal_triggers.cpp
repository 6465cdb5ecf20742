// Triggers that keep the audit trail: the entries' hash chain, append-only
// journal tables, and the audit log of accounts and kinds.
#include <algorithm>

#include "actor.hpp"
#include "error.hpp"
#include "ledger.hpp"
#include "errors.hpp"
#include "journal.hpp"
#include "spi.hpp"
#include "vouched.hpp"

extern "C" {
#include "access/htup_details.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/rel.h"
}

using namespace credits;

namespace credits::pg {

Actor current_actor() {
    const char* session = nullptr;
    const char* role = nullptr;
    guarded([&] {
        session = GetUserNameFromId(GetSessionUserId(), false);
        role = GetUserNameFromId(GetOuterUserId(), false);
    });
    return {session, role};
}

} // namespace credits::pg

namespace {

// The trigger data, after checking that a trigger manager called us.
TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s() must be called as a trigger", name)));
    return reinterpret_cast<TriggerData*>(fcinfo->context);
}

// Column `name` of a row (plain frame: only PostgreSQL calls).
Datum column(HeapTuple tuple, TupleDesc desc, const char* name, bool* isnull) {
    int attnum = SPI_fnumber(desc, name);
    if (attnum <= 0)
        elog(ERROR, "credits: column \"%s\" is missing", name);
    return heap_getattr(tuple, attnum, desc, isnull);
}

int64 int8_column(HeapTuple tuple, TupleDesc desc, const char* name) {
    bool isnull;
    Datum d = column(tuple, desc, name, &isnull);
    if (isnull)
        ereport(ERROR, (errcode(ERRCODE_NOT_NULL_VIOLATION),
                        errmsg("credits.entries.%s must not be NULL", name)));
    return DatumGetInt64(d);
}

core::int128 credit_column(HeapTuple tuple, TupleDesc desc, const char* name) {
    bool isnull;
    Datum d = column(tuple, desc, name, &isnull);
    if (isnull)
        ereport(ERROR, (errcode(ERRCODE_NOT_NULL_VIOLATION),
                        errmsg("credits.entries.%s must not be NULL", name)));
    return pg::credit_value(d);
}

} // namespace

namespace {

// The entry's operation and grant as encoding v2 covers them, and the hash
// of the account's previous entry (NULL for the first).
pg::Statement<int64_t, int64_t, int64_t, int64_t> entry_context{
    "SELECT " COVERED_COLUMNS ", "
    "(SELECT p.hash FROM credits.entries p WHERE p.account = $3 AND p.seq = $4 - 1) AS prev_hash "
    "FROM credits.operations o LEFT JOIN credits.grants g ON g.id = $2 AND g.account = $3 "
    "WHERE o.id = $1 AND o.account = $3"};

// What the trigger reads of the new row (plain data; read in a guarded call).
struct NewEntry {
    core::EntryFields fields;
    const char* type;
    uint8_t prev_hash[core::kHashSize];
    bool prev_hash_ok;
    int16 encoding;
};

// Reads the new row's columns (plain frame: only PostgreSQL calls).
void read_new_entry(HeapTuple tuple, TupleDesc desc, NewEntry* out) {
    core::EntryFields& e = out->fields;
    e.id = int8_column(tuple, desc, "id");
    e.operation = int8_column(tuple, desc, "operation");
    e.account = int8_column(tuple, desc, "account");
    bool isnull;
    Datum grant = column(tuple, desc, "grant", &isnull);
    e.has_grant = !isnull;
    e.grant = isnull ? 0 : DatumGetInt64(grant);
    Datum type = column(tuple, desc, "type", &isnull);
    out->type = isnull ? "" : TextDatumGetCString(type);
    e.delta = credit_column(tuple, desc, "delta");
    e.grant_remaining_after = credit_column(tuple, desc, "grant_remaining_after");
    e.account_balance_after = credit_column(tuple, desc, "account_balance_after");
    e.seq = int8_column(tuple, desc, "seq");
    e.effective_at = int8_column(tuple, desc, "effective_at");
    e.recorded_at = int8_column(tuple, desc, "recorded_at");
    Datum prev = column(tuple, desc, "prev_hash", &isnull);
    bytea* prev_hash = isnull ? nullptr : DatumGetByteaPP(prev);
    out->prev_hash_ok = prev_hash != nullptr && VARSIZE_ANY_EXHDR(prev_hash) == core::kHashSize;
    if (out->prev_hash_ok)
        memcpy(out->prev_hash, VARDATA_ANY(prev_hash), core::kHashSize);
    // a 1.0 schema (the library is updated before ALTER EXTENSION) has no
    // encoding column and writes encoding 1, as 1.0 did
    int encoding_attnum = SPI_fnumber(desc, "encoding");
    out->encoding = 1;
    if (encoding_attnum > 0) {
        Datum encoding = heap_getattr(tuple, encoding_attnum, desc, &isnull);
        out->encoding = isnull ? 2 : DatumGetInt16(encoding);
    }
}

// The new row with its hash set (plain frame: only PostgreSQL calls).
HeapTuple with_hash(HeapTuple tuple, TupleDesc desc, const uint8_t hash[core::kHashSize]) {
    bytea* value = static_cast<bytea*>(palloc(VARHDRSZ + core::kHashSize));
    SET_VARSIZE(value, VARHDRSZ + core::kHashSize);
    memcpy(VARDATA(value), hash, core::kHashSize);
    int attnum = SPI_fnumber(desc, "hash");
    Datum datum = PointerGetDatum(value);
    bool null = false;
    return heap_modify_tuple_by_cols(tuple, desc, 1, &attnum, &datum, &null);
}

// Whether the new row is, field for field, the entry its writer vouched for.
bool is_vouched(const pg::VouchedEntry& v, const NewEntry& n) {
    const core::EntryFields& a = v.fields;
    const core::EntryFields& b = n.fields;
    return n.encoding == 2 && a.id == b.id && a.operation == b.operation &&
           a.account == b.account && a.has_grant == b.has_grant && a.grant == b.grant &&
           strcmp(a.type, n.type) == 0 && a.delta == b.delta &&
           a.grant_remaining_after == b.grant_remaining_after &&
           a.account_balance_after == b.account_balance_after && a.seq == b.seq &&
           a.effective_at == b.effective_at && a.recorded_at == b.recorded_at &&
           memcmp(v.prev_hash, n.prev_hash, core::kHashSize) == 0;
}

[[noreturn]] void chain_violation(const core::EntryFields& e, const std::string& why) {
    throw core::Error(pg::kChainViolation,
                      "journal entry " + std::to_string(e.id) + " does not continue account " +
                          std::to_string(e.account) + "'s hash chain",
                      why + " Entries are written by the ledger functions, never by hand.");
}

} // namespace

// credits.entries_chain(): BEFORE INSERT on credits.entries. Refuses an entry
// that is not the account's next (seq and prev_hash must follow its previous
// entry: CR012) and sets hash to SHA-256(prev_hash || encoding), encoding v2
// covering the entry's operation and grant (v1 only for rows restored from
// ledgers written before 1.1). An entry its batch writer vouched for
// (vouched.hpp) gets the hash the writer computed from the same checks.
CREDITS_FUNCTION(credits_entries_chain) {
    TriggerData* trigger = trigger_data(fcinfo, "entries_chain");
    HeapTuple tuple = trigger->tg_trigtuple;
    TupleDesc desc = trigger->tg_relation->rd_att;
    NewEntry entry;
    pg::guarded([&] { read_new_entry(tuple, desc, &entry); });
    core::EntryFields& e = entry.fields;
    e.type = entry.type;
    if (!entry.prev_hash_ok)
        chain_violation(e, "prev_hash must be " + std::to_string(core::kHashSize) + " bytes.");
    if (entry.encoding != 1 && entry.encoding != 2)
        chain_violation(e, "encoding must be 1 or 2, not " + std::to_string(entry.encoding) + ".");
    if (const pg::VouchedEntry* vouched = pg::vouched_entry(e.id);
        vouched != nullptr && is_vouched(*vouched, entry)) {
        HeapTuple result = nullptr;
        pg::guarded([&] { result = with_hash(tuple, desc, vouched->hash); });
        return PointerGetDatum(result);
    }

    pg::Spi spi;
    if (spi.run(entry_context, e.operation, e.grant, e.account, e.seq) == 0)
        chain_violation(e, "Its operation " + std::to_string(e.operation) +
                               " does not exist or belongs to another account.");
    core::OperationFields op;
    std::optional<core::GrantFields> grant;
    if (!read_covered_fields(spi, 0, e.has_grant, op, grant))
        chain_violation(e, "Its grant " + std::to_string(e.grant) +
                               " does not exist or belongs to another account.");
    uint8_t expected_prev[core::kHashSize] = {};
    if (e.seq < 1)
        chain_violation(e, "seq must start at 1, not " + std::to_string(e.seq) + ".");
    if (e.seq > 1 && !spi.hash(0, "prev_hash", expected_prev))
        chain_violation(e, "The account has no entry with seq " + std::to_string(e.seq - 1) + ".");
    if (!std::equal(expected_prev, expected_prev + core::kHashSize, entry.prev_hash))
        chain_violation(e, "prev_hash is not the hash of the account's entry with seq " +
                               std::to_string(e.seq - 1) + ".");
    spi.finish();

    uint8_t hash[core::kHashSize];
    core::entry_hash(entry.encoding, entry.prev_hash, e, op, grant ? &*grant : nullptr, hash);
    HeapTuple result = nullptr;
    pg::guarded([&] { result = with_hash(tuple, desc, hash); });
    return PointerGetDatum(result);
}

// credits.append_only(): refuses UPDATE, DELETE and TRUNCATE for every role.
CREDITS_FUNCTION(credits_append_only) {
    TriggerData* trigger = trigger_data(fcinfo, "append_only");
    const char* action = TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)   ? "UPDATE"
                         : TRIGGER_FIRED_BY_DELETE(trigger->tg_event) ? "DELETE"
                                                                      : "TRUNCATE";
    // with an argument: only the columns it names are immutable (the trigger's
    // WHEN clause decides that one of them changed)
    if (trigger->tg_trigger->tgnargs == 1)
        ereport(
            ERROR,
            (CREDITS_ERRCODE(pg::kAppendOnly),
             errmsg("credits.%s: %s cannot be changed",
                    RelationGetRelationName(trigger->tg_relation), trigger->tg_trigger->tgargs[0]),
             errhint("The journal's hashes cover them; record a new operation instead.")));
    ereport(ERROR, (CREDITS_ERRCODE(pg::kAppendOnly),
                    errmsg("credits.%s is append-only: %s is not allowed",
                           RelationGetRelationName(trigger->tg_relation), action),
                    errhint("Record a new operation instead of changing a recorded one.")));
    PG_RETURN_NULL();
}

namespace {

pg::Statement<std::string, std::string, std::string, std::optional<pg::Jsonb>,
              std::optional<pg::Jsonb>, std::string, std::string>
    insert_audit{"INSERT INTO credits.audit_log (table_name, row_key, action, old_row, new_row, "
                 "actor, actor_role) VALUES ($1, $2, $3, $4, $5, $6, $7)"};

// A row as jsonb, or NULL (Datum 0) for no row.
Datum row_jsonb(HeapTuple tuple, TupleDesc desc) {
    if (tuple == nullptr)
        return 0;
    Datum json = 0;
    pg::guarded([&] {
        Datum row = heap_copy_tuple_as_datum(tuple, desc);
        Datum json_text = DirectFunctionCall1(row_to_json, row);
        json = DirectFunctionCall1(jsonb_in, CStringGetDatum(TextDatumGetCString(json_text)));
    });
    return json;
}

} // namespace

// credits.audit(key_column): AFTER row trigger writing the change to
// credits.audit_log with old and new rows as jsonb.
CREDITS_FUNCTION(credits_audit) {
    TriggerData* trigger = trigger_data(fcinfo, "audit");
    if (trigger->tg_trigger->tgnargs != 1)
        elog(ERROR, "credits.audit() takes the key column's name");
    TupleDesc desc = trigger->tg_relation->rd_att;
    HeapTuple old_row = nullptr, new_row = nullptr;
    const char* action = "INSERT";
    if (TRIGGER_FIRED_BY_INSERT(trigger->tg_event)) {
        new_row = trigger->tg_trigtuple;
    } else if (TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)) {
        action = "UPDATE";
        old_row = trigger->tg_trigtuple;
        new_row = trigger->tg_newtuple;
    } else {
        action = "DELETE";
        old_row = trigger->tg_trigtuple;
    }
    HeapTuple keyed = new_row ? new_row : old_row;
    int key_attnum = SPI_fnumber(desc, trigger->tg_trigger->tgargs[0]);
    if (key_attnum <= 0)
        elog(ERROR, "credits.audit(): no column \"%s\"", trigger->tg_trigger->tgargs[0]);
    const char* key = SPI_getvalue(keyed, desc, key_attnum);
    const char* table = RelationGetRelationName(trigger->tg_relation);
    Datum old_json = row_jsonb(old_row, desc);
    Datum new_json = row_jsonb(new_row, desc);

    pg::Actor actor = pg::current_actor();
    pg::Spi spi;
    auto json = [](Datum d, HeapTuple row) {
        return row ? std::optional<pg::Jsonb>(pg::Jsonb{d}) : std::nullopt;
    };
    spi.run(insert_audit, std::string(table), std::string(key ? key : ""), std::string(action),
            json(old_json, old_row), json(new_json, new_row), actor.session, actor.role);
    spi.finish();
    return PointerGetDatum(nullptr);
}
