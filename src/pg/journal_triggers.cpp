// Triggers that keep the audit trail: the entries' hash chain, append-only
// journal tables, and the audit log of accounts and kinds.
#include "actor.hpp"
#include "errors.hpp"
#include "journal.hpp"
#include "spi.hpp"

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

// credits.entries_chain(): BEFORE INSERT on credits.entries. Sets hash to
// SHA-256(prev_hash || canonical encoding); plain frame.
CREDITS_FUNCTION(credits_entries_chain) {
    TriggerData* trigger = trigger_data(fcinfo, "entries_chain");
    HeapTuple tuple = trigger->tg_trigtuple;
    TupleDesc desc = trigger->tg_relation->rd_att;
    core::EntryFields e;
    e.id = int8_column(tuple, desc, "id");
    e.operation = int8_column(tuple, desc, "operation");
    e.account = int8_column(tuple, desc, "account");
    bool isnull;
    Datum grant = column(tuple, desc, "grant", &isnull);
    e.has_grant = !isnull;
    e.grant = isnull ? 0 : DatumGetInt64(grant);
    Datum type = column(tuple, desc, "type", &isnull);
    e.type = isnull ? "" : TextDatumGetCString(type);
    e.delta = credit_column(tuple, desc, "delta");
    e.grant_remaining_after = credit_column(tuple, desc, "grant_remaining_after");
    e.account_balance_after = credit_column(tuple, desc, "account_balance_after");
    e.seq = int8_column(tuple, desc, "seq");
    e.effective_at = int8_column(tuple, desc, "effective_at");
    e.recorded_at = int8_column(tuple, desc, "recorded_at");
    Datum prev = column(tuple, desc, "prev_hash", &isnull);
    bytea* prev_hash = isnull ? nullptr : DatumGetByteaPP(prev);
    if (prev_hash == nullptr || VARSIZE_ANY_EXHDR(prev_hash) != core::kHashSize)
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("credits.entries.prev_hash must be %d bytes", int(core::kHashSize))));

    char encoding[core::kMaxEncodingLength];
    std::size_t length = core::encode_entry(e, encoding);
    bytea* hash = static_cast<bytea*>(palloc(VARHDRSZ + core::kHashSize));
    SET_VARSIZE(hash, VARHDRSZ + core::kHashSize);
    core::chain_hash(reinterpret_cast<const uint8_t*>(VARDATA_ANY(prev_hash)), encoding, length,
                     reinterpret_cast<uint8_t*>(VARDATA(hash)));
    int attnum = SPI_fnumber(desc, "hash");
    Datum value = PointerGetDatum(hash);
    bool null = false;
    return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 1, &attnum, &value, &null));
}

// credits.append_only(): refuses UPDATE, DELETE and TRUNCATE for every role.
CREDITS_FUNCTION(credits_append_only) {
    TriggerData* trigger = trigger_data(fcinfo, "append_only");
    const char* action = TRIGGER_FIRED_BY_UPDATE(trigger->tg_event)   ? "UPDATE"
                         : TRIGGER_FIRED_BY_DELETE(trigger->tg_event) ? "DELETE"
                                                                      : "TRUNCATE";
    ereport(ERROR, (CREDITS_ERRCODE(pg::kAppendOnly),
                    errmsg("credits.%s is append-only: %s is not allowed",
                           RelationGetRelationName(trigger->tg_relation), action),
                    errhint("Record a new operation instead of changing a recorded one.")));
    PG_RETURN_NULL();
}

namespace {

pg::Statement insert_audit = {
    "INSERT INTO credits.audit_log (table_name, row_key, action, old_row, new_row, actor, "
    "actor_role) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    "TTTJJTT"};

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
    spi.run(insert_audit,
            {pg::text_param(std::string(table)), pg::text_param(std::string(key ? key : "")),
             pg::text_param(std::string(action)), pg::datum_param(old_json, old_row == nullptr),
             pg::datum_param(new_json, new_row == nullptr), pg::text_param(actor.session),
             pg::text_param(actor.role)});
    spi.finish();
    return PointerGetDatum(nullptr);
}
