// Unit tests of SHA-256, UTC timestamps and the entry encoding.
#include <gtest/gtest.h>

#include <string>

#include "journal.hpp"

using namespace credits::core;

namespace {
std::string hex(const uint8_t* p, size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return s;
}
std::string sha(const std::string& text) {
    Sha256 h;
    h.update(text.data(), text.size());
    uint8_t out[kHashSize];
    h.finish(out);
    return hex(out, kHashSize);
}
std::string ts(int64_t micros) {
    char buf[32];
    format_timestamp_utc(micros, buf);
    return buf;
}
} // namespace

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsWhole) {
    std::string text(300, 'x');
    for (size_t i = 0; i < text.size(); i++)
        text[i] = char('a' + i % 26);
    Sha256 h;
    for (size_t i = 0; i < text.size(); i += 7)
        h.update(text.data() + i, std::min<size_t>(7, text.size() - i));
    uint8_t out[kHashSize];
    h.finish(out);
    EXPECT_EQ(hex(out, kHashSize), sha(text));
}

TEST(Timestamp, Utc) {
    EXPECT_EQ(ts(0), "2000-01-01T00:00:00.000000Z");
    EXPECT_EQ(ts(-946684800LL * 1000000), "1970-01-01T00:00:00.000000Z");
    EXPECT_EQ(ts(-1), "1999-12-31T23:59:59.999999Z");
    // 2024-02-29 12:34:56.789012 UTC
    EXPECT_EQ(ts((1709210096LL - 946684800LL) * 1000000 + 789012), "2024-02-29T12:34:56.789012Z");
    EXPECT_EQ(ts((4102444800LL - 946684800LL) * 1000000), "2100-01-01T00:00:00.000000Z");
}

namespace {
// The burn entry of the examples in docs/journal.md, at instant `at`.
EntryFields sample_entry(int64_t at = 836179200000000) { // 2026-07-01
    EntryFields e;
    e.id = 7;
    e.operation = 3;
    e.account = 1;
    e.has_grant = true;
    e.grant = 2;
    e.type = "burn";
    e.delta = parse_amount("-1.5");
    e.grant_remaining_after = parse_amount("98.5");
    e.account_balance_after = parse_amount("98.5");
    e.seq = 4;
    e.effective_at = at;
    e.recorded_at = at + 1;
    return e;
}
} // namespace

TEST(Encoding, Canonical) {
    EntryFields e = sample_entry(0);
    char buf[kMaxEncodingLength];
    size_t n = encode_entry(e, buf);
    EXPECT_EQ(std::string(buf, n), "credits-entry-v1|7|3|1|2|burn|-1.5|98.5|98.5|4|"
                                   "2000-01-01T00:00:00.000000Z|2000-01-01T00:00:00.000001Z");
    e.has_grant = false;
    n = encode_entry(e, buf);
    EXPECT_NE(std::string(buf, n).find("|1||burn|"), std::string::npos);
}

TEST(Encoding, ChainDependsOnPrevious) {
    uint8_t zero[kHashSize] = {}, one[kHashSize] = {}, a[kHashSize], b[kHashSize];
    one[0] = 1;
    chain_hash(zero, "x", 1, a);
    chain_hash(one, "x", 1, b);
    EXPECT_NE(hex(a, kHashSize), hex(b, kHashSize));
    // hash = sha256(prev || encoding)
    EXPECT_EQ(hex(a, kHashSize), sha(std::string(32, '\0') + "x"));
}

TEST(EntryEncoding, Version2CoversOperationAndGrant) {
    EntryFields e = sample_entry();
    OperationFields op{"debit", parse_amount("1.5"), std::string("req|1"), std::nullopt};
    GrantFields g{"purchased",     parse_amount("100"), 50,
                  836179200000000, std::nullopt,        std::string("0.85")};
    EXPECT_EQ(encode_entry_v2(e, op, &g),
              "credits-entry-v2|7|3|1|2|burn|-1.5|98.5|98.5|4|2026-07-01T00:00:00.000000Z|"
              "2026-07-01T00:00:00.000001Z|op|5:debit|1.5|5:req|1|~|grant|9:purchased|100|50|"
              "2026-07-01T00:00:00.000000Z|~|4:0.85");
    // an entry without a grant (overdraft debt) has no grant section
    e.has_grant = false;
    EXPECT_EQ(encode_entry_v2(e, op, nullptr),
              "credits-entry-v2|7|3|1||burn|-1.5|98.5|98.5|4|2026-07-01T00:00:00.000000Z|"
              "2026-07-01T00:00:00.000001Z|op|5:debit|1.5|5:req|1|~");
}

TEST(EntryEncoding, EveryCoveredFieldChangesTheHash) {
    EntryFields e = sample_entry();
    OperationFields op{"debit", parse_amount("1.5"), std::string("k"), std::string("r")};
    GrantFields g{"purchased", parse_amount("100"), 50, 0, 1000, std::string("0.85")};
    uint8_t zero[kHashSize] = {}, base[kHashSize], other[kHashSize];
    entry_hash(2, zero, e, op, &g, base);
    auto differs = [&](const OperationFields& o, const GrantFields& gr) {
        entry_hash(2, zero, e, o, &gr, other);
        return hex(base, kHashSize) != hex(other, kHashSize);
    };
    OperationFields o = op;
    o.amount = parse_amount("2");
    EXPECT_TRUE(differs(o, g));
    o = op;
    o.reference = std::nullopt;
    EXPECT_TRUE(differs(o, g));
    o = op;
    o.idempotency_key = std::string("k2");
    EXPECT_TRUE(differs(o, g));
    GrantFields h = g;
    h.expires_at = 2000;
    EXPECT_TRUE(differs(op, h));
    h = g;
    h.expires_at = std::nullopt;
    EXPECT_TRUE(differs(op, h));
    h = g;
    h.priority = 10;
    EXPECT_TRUE(differs(op, h));
    h = g;
    h.cost_basis = std::string("0.86");
    EXPECT_TRUE(differs(op, h));
    h = g;
    h.kind = "bonus";
    EXPECT_TRUE(differs(op, h));
    // version 1 covers none of them
    uint8_t v1a[kHashSize], v1b[kHashSize];
    entry_hash(1, zero, e, op, &g, v1a);
    entry_hash(1, zero, e, o, &h, v1b);
    EXPECT_EQ(hex(v1a, kHashSize), hex(v1b, kHashSize));
}

TEST(EntryEncoding, InfiniteTimestamps) {
    EXPECT_EQ(timestamp_field(INT64_MAX), "infinity");
    EXPECT_EQ(timestamp_field(INT64_MIN), "-infinity");
    EXPECT_EQ(timestamp_field(0), "2000-01-01T00:00:00.000000Z");
}
