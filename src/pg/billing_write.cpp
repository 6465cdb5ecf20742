// The billing writers: purchase_pack, reward, issue_sla_credit and
// apply_plan_change. Each is a plan step of the operation pipeline
// (pipeline.hpp), hashes its request like every ledger writer, and grants
// through grants.hpp; the arithmetic is in the core (reward.hpp, sla.hpp,
// proration.hpp).
#include "args.hpp"
#include "error.hpp"
#include "errors.hpp"
#include "grants.hpp"
#include "pipeline.hpp"
#include "proration_sql.hpp"
#include "result_set.hpp"
#include "reward.hpp"
#include "sla_sql.hpp"

extern "C" {
#include "catalog/pg_type.h"
}

namespace credits::pg {

namespace {

// Spans as request-hash text, in the order given.
std::string spans_key(const std::vector<core::Span>& spans) {
    std::string out;
    for (const core::Span& s : spans)
        out += std::to_string(s.start) + "," + std::to_string(s.end) + ";";
    return out;
}

// A grant made by a billing writer: priority 50 unless given, starts at t,
// metadata {}.
NewGrant billing_grant(Spi& spi, const std::string& kind, int128 amount,
                       std::optional<int64_t> expires_at, std::optional<std::string> reference,
                       int64_t t) {
    NewGrant g;
    g.kind = kind;
    g.burn_rank = kind_burn_rank(spi, kind);
    g.amount = amount;
    g.effective_at = t;
    g.expires_at = grant_expiry(expires_at);
    g.reference = std::move(reference);
    g.metadata = empty_jsonb();
    require_expiry_after(g, t);
    return g;
}

// ---------------------------------------------------------------------------
// purchase_pack: one operation writing the purchased grant and its bonus.

Statement<std::string, Timestamp> pack_for_sale{
    "SELECT p.credits, p.active, p.bonus_credits, "
    "trim_scale(p.price / p.credits::numeric) AS cost_basis, 0::numeric AS bonus_cost_basis, "
    "$2 + p.validity AS expires_at, $2 + COALESCE(p.bonus_validity, p.validity) AS "
    "bonus_expires_at, "
    "format('pack %s (%s %s)', p.code, p.price, p.currency) AS purchased_reference, "
    "format('pack %s bonus', p.code) AS bonus_reference "
    "FROM credits.packs p WHERE p.code = $1"};

class PurchaseStep : public Step {
  public:
    PurchaseStep(std::string code, std::optional<std::string> reference, OperationRecord& op)
        : code_(std::move(code)), reference_(std::move(reference)), op_(op) {}
    int64_t result = 0;

    bool continues_1_0_grant() const override { return true; }
    void replay(Spi& spi, int64_t prior) override { result = *first_grant_of(spi, prior); }
    bool plan(Spi& spi, core::Account&, int64_t t, const AccountRow&) override {
        if (spi.run(pack_for_sale, code_, t) == 0)
            invalid("unknown pack \"" + code_ + "\"");
        if (!spi.get<bool>(0, "active"))
            invalid("pack \"" + code_ + "\" is not for sale");
        int128 credits = spi.get<int128>(0, "credits");
        int128 bonus = spi.get<int128>(0, "bonus_credits");
        std::optional<int64_t> expires = spi.get<std::optional<Timestamp>>(0, "expires_at");
        std::optional<int64_t> bonus_expires =
            spi.get<std::optional<Timestamp>>(0, "bonus_expires_at");
        std::optional<Datum> cost = spi.datum_copy(0, "cost_basis");
        std::optional<Datum> bonus_cost = spi.datum_copy(0, "bonus_cost_basis");
        std::string purchased_reference = spi.get<std::string>(0, "purchased_reference");
        std::string bonus_reference = spi.get<std::string>(0, "bonus_reference");
        purchased_ = billing_grant(spi, "purchased", credits, expires,
                                   reference_.value_or(purchased_reference), t);
        purchased_.cost_basis = Numeric{*cost};
        if (bonus > 0) {
            bonus_ = billing_grant(spi, "bonus", bonus, bonus_expires,
                                   reference_.value_or(bonus_reference), t);
            bonus_->cost_basis = Numeric{*bonus_cost};
        }
        op_.amount = core::add(credits, bonus);
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
               const AccountRow& account) override {
        result = write_grant(spi, op_id, account, model, t, purchased_);
        if (bonus_)
            write_grant(spi, op_id, account, model, t, *bonus_);
    }

  private:
    std::string code_;
    std::optional<std::string> reference_;
    OperationRecord& op_;
    NewGrant purchased_;
    std::optional<NewGrant> bonus_;
};

// ---------------------------------------------------------------------------
// reward: a rule's percent of a base amount plus fixed credits, capped.

Statement<std::string, Timestamp, int64_t> reward_rule{
    "SELECT r.kind, r.percent::text AS percent, r.fixed_credits, r.digits, r.cap_per_account, "
    "r.priority, r.active, $2 + r.validity AS expires_at, "
    "(SELECT @extschema@.sum(w.amount) FROM credits.rewards w WHERE w.account = $3 "
    "   AND w.rule = r.code AND (r.period IS NULL OR w.effective_at > $2 - r.period)) AS given "
    "FROM credits.reward_rules r WHERE r.code = $1"};
Statement<int64_t, std::string, std::optional<int128>, int128, int64_t, std::optional<std::string>,
          Timestamp, int64_t>
    insert_reward{"INSERT INTO credits.rewards (account, rule, base_amount, amount, grant_id, "
                  "idempotency_key, effective_at, operation) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};

class RewardStep : public Step {
  public:
    RewardStep(std::string code, std::optional<int128> base, OperationRecord& op)
        : code_(std::move(code)), base_(base), op_(op) {}
    std::optional<int64_t> result;

    bool continues_1_0_grant() const override { return true; }
    void replay(Spi& spi, int64_t prior) override { result = first_grant_of(spi, prior); }
    bool plan(Spi& spi, core::Account&, int64_t t, const AccountRow& account) override {
        if (spi.run(reward_rule, code_, t, account.id) == 0)
            invalid("unknown reward rule \"" + code_ + "\"");
        if (!spi.get<bool>(0, "active"))
            invalid("reward rule \"" + code_ + "\" is not active");
        core::RewardRule rule;
        rule.percent = core::parse_decimal(spi.get<std::string>(0, "percent"));
        rule.fixed_credits = spi.get<int128>(0, "fixed_credits");
        rule.digits = spi.get<int32_t>(0, "digits");
        rule.cap = spi.get<std::optional<int128>>(0, "cap_per_account");
        int128 given = spi.get<std::optional<int128>>(0, "given").value_or(0);
        std::string kind = spi.get<std::string>(0, "kind");
        int32_t priority = spi.get<int32_t>(0, "priority");
        std::optional<int64_t> expires = spi.get<std::optional<Timestamp>>(0, "expires_at");
        int128 owed = core::reward_amount(rule, base_, given);
        if (owed <= 0)
            return false; // the cap is used up
        grant_ = billing_grant(spi, kind, owed, expires, "reward " + code_, t);
        grant_.priority = priority;
        op_.amount = owed;
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
               const AccountRow& account) override {
        result = write_grant(spi, op_id, account, model, t, grant_);
        spi.run(insert_reward, account.id, code_, base_, grant_.amount, *result,
                op_.idempotency_key, t, op_id);
    }

  private:
    std::string code_;
    std::optional<int128> base_;
    OperationRecord& op_;
    NewGrant grant_;
};

// ---------------------------------------------------------------------------
// issue_sla_credit: at most one per account, policy and period.

Statement<int64_t, std::string, TstzRange> sla_credit_of_period{
    "SELECT operation, grant_id FROM credits.sla_credits "
    "WHERE account = $1 AND policy = $2 AND period = $3"};
Statement<int64_t, std::string, TstzRange> sla_credit_overlapping{
    "SELECT id, period::text AS period FROM credits.sla_credits "
    "WHERE account = $1 AND policy = $2 AND period && $3 ORDER BY id LIMIT 1"};
Statement<int64_t, std::string, TstzRange, int128, Numeric, int128, std::optional<int64_t>, int64_t>
    insert_sla_credit{"INSERT INTO credits.sla_credits (account, policy, period, fee, uptime, "
                      "credit, grant_id, operation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};

struct SlaRequest {
    std::string policy;
    int128 fee = 0;
    Datum period = 0;
    std::string period_text;
    std::string uptime; // percent, as credits.uptime() gives it
    int128 credit = 0;
    std::optional<int64_t> expires_at;
};

class SlaStep : public Step {
  public:
    explicit SlaStep(SlaRequest request) : request_(std::move(request)) {}
    std::optional<int64_t> result;

    bool continues_1_0_grant() const override { return true; }
    Earlier earlier(Spi& spi, const AccountRow& account, int64_t& prior) override {
        if (spi.run(sla_credit_of_period, account.id, request_.policy,
                    TstzRange{request_.period}) == 0)
            return kNone;
        std::optional<int64_t> operation = spi.get<std::optional<int64_t>>(0, "operation");
        if (!operation) { // issued before 1.1: the first grant, as 1.0 returned it
            result = spi.get<std::optional<int64_t>>(0, "grant_id");
            return kAnswered;
        }
        prior = *operation;
        return kOperation;
    }
    std::string earlier_conflict(const AccountRow& account) const override {
        return "account \"" + account.key + "\" already has an SLA credit under policy \"" +
               request_.policy + "\" for " + request_.period_text +
               ", issued with different arguments";
    }
    void replay(Spi& spi, int64_t prior) override { result = first_grant_of(spi, prior); }
    bool plan(Spi& spi, core::Account&, int64_t t, const AccountRow& account) override {
        if (spi.run(sla_credit_overlapping, account.id, request_.policy,
                    TstzRange{request_.period}) > 0)
            throw core::Error(kSlaPeriodOverlap,
                              "account \"" + account.key + "\" already has an SLA credit under " +
                                  "policy \"" + request_.policy + "\" for a period overlapping " +
                                  request_.period_text,
                              "SLA credit " + std::to_string(spi.get<int64_t>(0, "id")) +
                                  " covers " + spi.get<std::string>(0, "period") + ".",
                              "Each stretch of time is credited once per policy: issue the "
                              "credit for the periods not yet covered.");
        if (request_.credit > 0)
            grant_ = billing_grant(spi, "sla", request_.credit, request_.expires_at,
                                   "SLA " + request_.policy + " for " + request_.period_text +
                                       ": uptime " + request_.uptime + "%",
                                   t);
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
               const AccountRow& account) override {
        if (grant_)
            result = write_grant(spi, op_id, account, model, t, *grant_);
        spi.run(insert_sla_credit, account.id, request_.policy, TstzRange{request_.period},
                request_.fee, Numeric{numeric_from(request_.uptime)}, request_.credit, result,
                op_id);
    }

  private:
    SlaRequest request_;
    std::optional<NewGrant> grant_;
};

// ---------------------------------------------------------------------------
// apply_plan_change: a period's chain of changes, credited by line.

Statement<int64_t, Timestamp, Timestamp> plan_chain{
    "SELECT old_amount, new_amount, unused_num, unused_den, net FROM credits.plan_changes "
    "WHERE account = $1 AND period_start = $2 AND period_end = $3 ORDER BY id"};
Statement<int64_t> plan_change_of_operation{
    "SELECT net, grant_id FROM credits.plan_changes WHERE operation = $1"};
Statement<int64_t, std::string, int128, int128, Timestamp, Timestamp, Timestamp, std::string,
          int32_t, std::string, std::string, std::optional<Timestamp>>
    plan_change_before_1_1{
        "SELECT net, grant_id, old_amount OPERATOR(@extschema@.=) $3 "
        "AND new_amount OPERATOR(@extschema@.=) $4 AND period_start = $5 AND period_end = $6 "
        "AND change_at = $7 AND basis = $8 AND digits = $9 AND rounding = $10 AND tz = $11 "
        "AND expires_at IS NOT DISTINCT FROM $12 AS same FROM credits.plan_changes "
        "WHERE account = $1 AND idempotency_key = $2 AND operation IS NULL"};
Statement<int64_t, Timestamp, Timestamp, Timestamp, int128, int128, std::string, int32_t,
          std::string, std::string, int64_t, int64_t, int128, std::optional<int64_t>,
          std::optional<std::string>, std::optional<Timestamp>, int64_t>
    insert_plan_change{
        "INSERT INTO credits.plan_changes (account, period_start, period_end, change_at, "
        "old_amount, new_amount, basis, digits, rounding, tz, unused_num, unused_den, net, "
        "grant_id, idempotency_key, expires_at, operation) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"};

struct PlanChangeRequest {
    int128 old_amount = 0, new_amount = 0;
    int64_t period_start = 0, period_end = 0, change_at = 0;
    std::string basis, rounding, tz;
    int32_t digits = 2;
    core::RoundMode mode = core::RoundMode::HalfUp;
    core::Fraction unused{0, 1};
    std::optional<int64_t> expires_at;
    std::optional<std::string> idempotency_key;
};

class PlanChangeStep : public Step {
  public:
    PlanChangeStep(PlanChangeRequest request, OperationRecord& op)
        : r_(std::move(request)), op_(op) {}
    int128 net = 0;
    std::optional<int64_t> grant_id;

    Earlier earlier(Spi& spi, const AccountRow& account, int64_t&) override {
        if (!r_.idempotency_key ||
            spi.run(plan_change_before_1_1, account.id, *r_.idempotency_key, r_.old_amount,
                    r_.new_amount, r_.period_start, r_.period_end, r_.change_at, r_.basis,
                    r_.digits, r_.rounding, r_.tz, r_.expires_at) == 0)
            return kNone;
        if (!spi.get<bool>(0, "same"))
            key_conflict(account, *r_.idempotency_key);
        read_result(spi);
        return kAnswered;
    }
    void replay(Spi& spi, int64_t prior) override {
        spi.run(plan_change_of_operation, prior);
        read_result(spi);
    }
    bool plan(Spi& spi, core::Account&, int64_t t, const AccountRow& account) override {
        uint64_t n = spi.run(plan_chain, account.id, r_.period_start, r_.period_end);
        std::vector<core::PlanChange> chain;
        std::vector<int128> earlier_lines;
        for (uint64_t i = 0; i < n; i++) {
            chain.push_back(
                {spi.get<int128>(i, "old_amount"),
                 spi.get<int128>(i, "new_amount"),
                 {spi.get<int64_t>(i, "unused_num"), spi.get<int64_t>(i, "unused_den")}});
            earlier_lines.push_back(spi.get<int128>(i, "net"));
        }
        chain.push_back({r_.old_amount, r_.new_amount, r_.unused});
        net = core::plan_change_line(chain, earlier_lines, r_.digits, r_.mode);
        if (net < 0) {
            op_.amount = -net;
            grant_ = billing_grant(
                spi, "proration", -net, r_.expires_at,
                "plan change " + credit_text(r_.old_amount) + " -> " + credit_text(r_.new_amount) +
                    " at " + timestamp_text(r_.change_at) + " in [" +
                    timestamp_text(r_.period_start) + ", " + timestamp_text(r_.period_end) + ")",
                t);
        }
        return true;
    }
    void write(Spi& spi, int64_t op_id, core::Account& model, int64_t t,
               const AccountRow& account) override {
        if (grant_)
            grant_id = write_grant(spi, op_id, account, model, t, *grant_);
        spi.run(insert_plan_change, account.id, r_.period_start, r_.period_end, r_.change_at,
                r_.old_amount, r_.new_amount, r_.basis, r_.digits, r_.rounding, r_.tz,
                r_.unused.num, r_.unused.den, net, grant_id, r_.idempotency_key, r_.expires_at,
                op_id);
    }

  private:
    void read_result(Spi& spi) {
        net = spi.get<int128>(0, "net");
        grant_id = spi.get<std::optional<int64_t>>(0, "grant_id");
    }
    PlanChangeRequest r_;
    OperationRecord& op_;
    std::optional<NewGrant> grant_;
};

// Runs a step whose result is a grant id or none; finishes the connection.
template <class GrantingStep>
Datum grant_or_null(FunctionCallInfo fcinfo, Spi& spi, const std::string& key, OperationRecord& op,
                    GrantingStep& step) {
    run_operation(spi, key, op, step);
    spi.finish();
    if (!step.result)
        PG_RETURN_NULL();
    PG_RETURN_INT64(*step.result);
}

} // namespace

} // namespace credits::pg

using namespace credits;

// credits.purchase_pack(account, pack_code, idempotency_key, reference): the
// purchased grant's id.
CREDITS_FUNCTION(credits_purchase_pack) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    std::string code = pg::required_text(fcinfo, 1, "pack_code");
    std::optional<std::string> reference = pg::optional_text(fcinfo, 3);
    pg::OperationRecord op{"purchase_pack", std::nullopt, pg::optional_text(fcinfo, 2), reference,
                           pg::empty_jsonb()};
    pg::RequestHash()
        .add(std::string("purchase_pack"))
        .add(code)
        .add(reference)
        .finish(op.request_hash);
    pg::Spi spi;
    pg::PurchaseStep step(code, reference, op);
    pg::run_operation(spi, key, op, step);
    spi.finish();
    PG_RETURN_INT64(step.result);
}

// credits.reward(account, rule_code, base_amount, idempotency_key): the
// reward's grant id; NULL when the cap leaves nothing.
CREDITS_FUNCTION(credits_reward) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    std::string code = pg::required_text(fcinfo, 1, "rule_code");
    std::optional<core::int128> base;
    if (!PG_ARGISNULL(2))
        base = PG_GETARG_CREDIT(2);
    pg::OperationRecord op{"reward", std::nullopt, pg::optional_text(fcinfo, 3), std::nullopt,
                           pg::empty_jsonb()};
    pg::RequestHash()
        .add(std::string("reward"))
        .add(code)
        .add(base ? std::optional<std::string>(pg::credit_text(*base)) : std::nullopt)
        .finish(op.request_hash);
    pg::Spi spi;
    pg::RewardStep step(code, base, op);
    return pg::grant_or_null(fcinfo, spi, key, op, step);
}

// credits.issue_sla_credit(account, policy, fee, period, outages, excluded,
// expires_at, idempotency_key, min_outage): the SLA grant's id; NULL when
// the credit is 0.
CREDITS_FUNCTION(credits_issue_sla_credit) {
    std::string key = pg::required_text(fcinfo, 0, "account");
    pg::SlaRequest r;
    r.policy = pg::required_text(fcinfo, 1, "policy");
    r.fee = pg::required_credit(fcinfo, 2, "fee");
    pg::required_arg(fcinfo, 3, "period");
    pg::required_arg(fcinfo, 4, "outages");
    pg::required_arg(fcinfo, 5, "excluded");
    pg::required_arg(fcinfo, 8, "min_outage");
    r.expires_at = pg::optional_timestamp(fcinfo, 6);
    if (r.fee < 0)
        pg::invalid("fee must not be negative");
    r.period = PG_GETARG_DATUM(3);
    r.period_text = pg::output_text(TSTZRANGEOID, r.period);
    core::Span period = pg::range_span(r.period, TSTZRANGEOID);
    std::vector<core::Span> outages = pg::multirange_spans(PG_GETARG_DATUM(4), TSTZMULTIRANGEOID);
    std::vector<core::Span> excluded = pg::multirange_spans(PG_GETARG_DATUM(5), TSTZMULTIRANGEOID);
    int64_t min_outage = pg::interval_micros(PG_GETARG_INTERVAL_P(8));
    r.uptime = core::uptime_percent(core::measure_uptime(period, outages, excluded, min_outage));

    pg::OperationRecord op{"sla_credit", std::nullopt, pg::optional_text(fcinfo, 7), std::nullopt,
                           pg::empty_jsonb()};
    pg::RequestHash()
        .add(std::string("sla_credit"))
        .add(r.policy)
        .add(pg::credit_text(r.fee))
        .add(pg::spans_key({period}))
        .add(pg::spans_key(outages))
        .add(pg::spans_key(excluded))
        .add_timestamp(r.expires_at)
        .add(std::to_string(min_outage))
        .finish(op.request_hash);
    pg::Spi spi;
    r.credit = core::sla_credit(r.fee, core::parse_decimal(r.uptime),
                                pg::read_policy(spi, r.policy), 2, core::RoundMode::HalfUp);
    if (r.credit > 0)
        op.amount = r.credit;
    pg::SlaStep step(std::move(r));
    return pg::grant_or_null(fcinfo, spi, key, op, step);
}

// credits.apply_plan_change(...): the change's net line and the proration
// grant it made, if any.
CREDITS_FUNCTION(credits_apply_plan_change) {
    pg::ResultSet result(fcinfo);
    std::string key = pg::required_text(fcinfo, 0, "account");
    pg::PlanChangeRequest r;
    r.old_amount = pg::required_credit(fcinfo, 1, "old_amount");
    r.new_amount = pg::required_credit(fcinfo, 2, "new_amount");
    pg::required_arg(fcinfo, 3, "period_start");
    pg::required_arg(fcinfo, 4, "period_end");
    pg::required_arg(fcinfo, 5, "change_at");
    r.basis = pg::required_text(fcinfo, 6, "basis");
    r.digits = pg::required_int4(fcinfo, 7, "digits");
    r.rounding = pg::required_text(fcinfo, 8, "rounding");
    r.tz = pg::required_text(fcinfo, 9, "tz");
    r.expires_at = pg::optional_timestamp(fcinfo, 10);
    r.idempotency_key = pg::optional_text(fcinfo, 11);
    if (r.old_amount < 0 || r.new_amount < 0)
        pg::invalid("plan amounts must not be negative");
    r.unused = pg::fraction_from(fcinfo, 3, 6, 9); // 22023 for a bad period, basis or zone
    core::digits_step(r.digits);                   // 22023 unless 0..9
    r.mode = core::parse_round_mode(r.rounding);
    r.period_start = PG_GETARG_TIMESTAMPTZ(3);
    r.period_end = PG_GETARG_TIMESTAMPTZ(4);
    r.change_at = PG_GETARG_TIMESTAMPTZ(5);

    pg::OperationRecord op{"plan_change", std::nullopt, r.idempotency_key, std::nullopt,
                           pg::empty_jsonb()};
    pg::RequestHash()
        .add(std::string("plan_change"))
        .add(pg::credit_text(r.old_amount))
        .add(pg::credit_text(r.new_amount))
        .add_timestamp(r.period_start)
        .add_timestamp(r.period_end)
        .add_timestamp(r.change_at)
        .add(r.basis)
        .add(std::to_string(r.digits))
        .add(r.rounding)
        .add(r.tz)
        .add_timestamp(r.expires_at)
        .finish(op.request_hash);
    pg::Spi spi;
    pg::PlanChangeStep step(std::move(r), op);
    pg::run_operation(spi, key, op, step);
    spi.finish();
    Datum values[2];
    bool nulls[2] = {false, !step.grant_id};
    pg::guarded([&] { values[0] = pg::credit_datum(step.net); });
    values[1] = Int64GetDatum(step.grant_id.value_or(0));
    result.add(values, nulls);
    return 0;
}
