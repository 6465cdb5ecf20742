// The SQL side of the SLA math shared by its functions and issue_sla_credit:
// ranges as spans, intervals as microseconds, policies read from the tables.
#pragma once

#include <string>
#include <vector>

#include "sla.hpp"
#include "spi.hpp"

extern "C" {
#include "utils/timestamp.h"
}

namespace credits::pg {

// A tstzrange as a span (empty: a span with end <= start).
core::Span range_span(Datum range, Oid type);
// A tstzmultirange's ranges as spans.
std::vector<core::Span> multirange_spans(Datum multirange, Oid type);
// An interval as microseconds; months are refused (their length varies).
int64_t interval_micros(const Interval* i);
// A numeric from its text.
Datum numeric_from(const std::string& text);
// A policy with its tiers; 22023 when it does not exist.
core::SlaPolicy read_policy(Spi& spi, const std::string& name);

} // namespace credits::pg
