// Credits from Node with node-postgres: amounts go in as strings (exact),
// numbers or bigints, and come back as strings or decimal.js Decimals.
//
//   npm install pg decimal.js
//   PGDATABASE=app node examples/node/credits.js
'use strict';
const pg = require('pg');
const Decimal = require('decimal.js');

// A credit has up to 30 integer and 9 fractional digits: decimal.js needs
// 39 significant digits to keep every one exact (its default is 20).
const CreditDecimal = Decimal.clone({ precision: 39 });
// node-postgres binds an object through its toPostgres(): the exact digits
// (without it, a Decimal would be sent as JSON, quoted).
CreditDecimal.prototype.toPostgres = function toPostgres() {
  return this.toFixed();
};

// credit's OID differs per database: looks it up, with its array type's.
async function creditOids(client) {
  const { rows } = await client.query(
    "SELECT 'credit'::regtype::oid AS oid, 'credit[]'::regtype::oid AS array_oid");
  return { oid: Number(rows[0].oid), arrayOid: Number(rows[0].array_oid) };
}

// Type parsers for a Pool or Client's `types` option: credit as an exact
// Decimal (asDecimal) or as its canonical string, credit[] as an array of them.
function creditTypes({ oid, arrayOid }, asDecimal = true) {
  const parse = asDecimal ? (text) => new CreditDecimal(text) : (text) => text;
  // text[]'s parser splits the array's text form into strings; numeric[]'s
  // (1231) would turn them into JavaScript floats
  const parseArray = pg.types.getTypeParser(1009);
  return {
    getTypeParser(typeOid, format) {
      if (typeOid === oid) return parse;
      if (typeOid === arrayOid) return (text) => parseArray(text).map((v) => (v === null ? null : parse(v)));
      return pg.types.getTypeParser(typeOid, format);
    },
  };
}

async function main() {
  const probe = new pg.Client();
  await probe.connect();
  const oids = await creditOids(probe);
  await probe.end();

  const pool = new pg.Pool({ types: creditTypes(oids) });
  await pool.query('SELECT credits.open_account($1)', ['node-example']);
  await pool.query('SELECT credits.grant_credits($1, $2)', ['node-example', '100.50']);
  try {
    await pool.query('SELECT credits.debit($1, $2, $3)', ['node-example', '12.25', 'order-1']);
  } catch (e) {
    if (e.code === 'CR001') console.log('declined:', e.message, e.detail); // insufficient credits
    throw e;
  }
  const { rows } = await pool.query('SELECT credits.balance($1) AS balance', ['node-example']);
  console.log(rows[0].balance.toString()); // 88.25, a Decimal
  await pool.end();
}

module.exports = { creditOids, creditTypes, CreditDecimal };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
