// SQL side of the SLA math: unpacking ranges and multiranges, reading
// policies; the arithmetic is in src/core/sla.cpp.
#include <vector>

#include "sla_sql.hpp"

#include "args.hpp"
#include "error.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/typcache.h"
}

namespace credits::pg {

namespace {

// A bound as microseconds; infinite bounds become the int64 extremes.
int64_t bound_micros(const RangeBound& b) {
    if (b.infinite)
        return b.lower ? INT64_MIN : INT64_MAX;
    TimestampTz t = DatumGetTimestampTz(b.val);
    if (TIMESTAMP_IS_NOBEGIN(t))
        return INT64_MIN;
    if (TIMESTAMP_IS_NOEND(t))
        return INT64_MAX;
    return t;
}

} // namespace

core::Span range_span(Datum range, Oid type) {
    core::Span span{0, 0};
    guarded([&] {
        TypeCacheEntry* cache = lookup_type_cache(type, TYPECACHE_RANGE_INFO);
        RangeBound lower, upper;
        bool empty;
        range_deserialize(cache, DatumGetRangeTypeP(range), &lower, &upper, &empty);
        if (!empty)
            span = {bound_micros(lower), bound_micros(upper)};
    });
    return span;
}

std::vector<core::Span> multirange_spans(Datum multirange, Oid type) {
    int32 count = 0;
    RangeType** ranges = nullptr;
    Oid range_type = InvalidOid;
    guarded([&] {
        TypeCacheEntry* cache = lookup_type_cache(type, TYPECACHE_MULTIRANGE_INFO);
        range_type = cache->rngtype->type_id;
        multirange_deserialize(cache->rngtype, DatumGetMultirangeTypeP(multirange), &count,
                               &ranges);
    });
    std::vector<core::Span> spans;
    for (int32 i = 0; i < count; i++)
        spans.push_back(range_span(PointerGetDatum(ranges[i]), range_type));
    return spans;
}

int64_t interval_micros(const Interval* i) {
    if (i->month != 0)
        throw core::Error(core::sqlstate::kInvalidParameter,
                          "min_outage must not be given in months or years");
    return i->time + int64_t(i->day) * USECS_PER_DAY;
}

Datum numeric_from(const std::string& text) {
    Datum d = 0;
    guarded([&] {
        d = DirectFunctionCall3(numeric_in, CStringGetDatum(text.c_str()),
                                ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
    });
    return d;
}

namespace {

// numeric columns read as their text, which the core parses exactly
Statement<std::string> policy_row{"SELECT cap_percent::text, min_credit FROM credits.sla_policies "
                                  "WHERE name = $1"};
Statement<std::string> policy_tiers{
    "SELECT lower::text, lower_inclusive, upper::text, upper_inclusive, credit_percent::text "
    "FROM credits.sla_tiers WHERE policy = $1 ORDER BY position"};

std::optional<core::Decimal> optional_decimal(Spi& spi, uint64_t row, const char* column) {
    std::optional<std::string> text = spi.get<std::optional<std::string>>(row, column);
    if (!text)
        return std::nullopt;
    return core::parse_decimal(*text);
}

} // namespace

core::SlaPolicy read_policy(Spi& spi, const std::string& name) {
    if (spi.read(policy_row, name) == 0)
        throw core::Error(core::sqlstate::kInvalidParameter,
                          "unknown SLA policy \"" + name + "\" (see credits.sla_policies)");
    core::SlaPolicy policy;
    policy.cap_percent = core::parse_decimal(spi.get<std::string>(0, "cap_percent"));
    policy.min_credit = spi.get<int128>(0, "min_credit");
    uint64_t n = spi.read(policy_tiers, name);
    for (uint64_t i = 0; i < n; i++) {
        core::SlaTier t;
        t.lower = optional_decimal(spi, i, "lower");
        t.lower_inclusive = spi.get<bool>(i, "lower_inclusive");
        t.upper = optional_decimal(spi, i, "upper");
        t.upper_inclusive = spi.get<bool>(i, "upper_inclusive");
        t.credit_percent = core::parse_decimal(spi.get<std::string>(i, "credit_percent"));
        policy.tiers.push_back(t);
    }
    return policy;
}

} // namespace credits::pg

using namespace credits;

// credits.uptime(period, outages, excluded, min_outage): percent available.
CREDITS_FUNCTION(credits_uptime) {
    Datum result;
    {
        core::Span period = pg::range_span(PG_GETARG_DATUM(0), TSTZRANGEOID);
        std::vector<core::Span> outages =
            pg::multirange_spans(PG_GETARG_DATUM(1), TSTZMULTIRANGEOID);
        std::vector<core::Span> excluded =
            pg::multirange_spans(PG_GETARG_DATUM(2), TSTZMULTIRANGEOID);
        int64_t min_outage = pg::interval_micros(PG_GETARG_INTERVAL_P(3));
        core::Uptime u = core::measure_uptime(period, outages, excluded, min_outage);
        result = pg::numeric_from(core::uptime_percent(u));
    }
    return result;
}

// credits.sla_credit(fee, uptime, policy, digits, rounding): the credit a
// policy gives for an uptime.
CREDITS_FUNCTION(credits_sla_credit) {
    core::int128 credit;
    {
        core::int128 fee = pg::credit_value(PG_GETARG_DATUM(0));
        core::Decimal uptime = core::parse_decimal(pg::output_text(NUMERICOID, PG_GETARG_DATUM(1)));
        std::string name = pg::required_text(fcinfo, 2, "policy");
        core::RoundMode mode = core::parse_round_mode(pg::required_text(fcinfo, 4, "rounding"));
        pg::Spi spi;
        core::SlaPolicy policy = pg::read_policy(spi, name);
        spi.finish();
        credit = core::sla_credit(fee, uptime, policy, PG_GETARG_INT32(3), mode);
    }
    PG_RETURN_CREDIT(credit);
}

// credits.check_sla_policy(name): 22023 unless the policy's tiers are valid.
CREDITS_FUNCTION(credits_check_sla_policy) {
    {
        std::string name = pg::required_text(fcinfo, 0, "name");
        pg::Spi spi;
        core::SlaPolicy policy = pg::read_policy(spi, name);
        spi.finish();
        core::validate_tiers(policy.tiers);
    }
    PG_RETURN_VOID();
}
