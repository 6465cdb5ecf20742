// The client scenario for node-postgres, printing TAP lines. Connects with
// libpq's environment variables; uses the type parsers of examples/node.
'use strict';
const path = require('path');
const crypto = require('crypto');
const pg = require('pg');
const { creditOids, creditTypes, CreditDecimal } = require(path.join(__dirname, '../../../examples/node/credits.js'));

let count = 0;
function check(description, ok, diagnostic) {
  count += 1;
  console.log(`${ok ? 'ok' : 'not ok'} ${count} - node-postgres: ${description}`);
  if (!ok && diagnostic !== undefined) console.log(`#   ${diagnostic}`);
}
async function errorOf(pool, sql, params) {
  try {
    await pool.query(sql, params);
    return null;
  } catch (e) {
    return e;
  }
}
const tag = () => crypto.randomBytes(4).toString('hex');

async function main() {
  const probe = new pg.Client();
  await probe.connect();
  const oids = await creditOids(probe);
  await probe.end();
  const pool = new pg.Pool({ max: 8, types: creditTypes(oids) });
  const strings = new pg.Pool({ max: 1, types: creditTypes(oids, false) });
  const one = async (p, sql, params) => Object.values((await p.query(sql, params)).rows[0])[0];

  const account = `node-${tag()}`;
  await one(pool, 'SELECT credits.open_account($1)', [account]);
  for (const value of ['12.5', 7, 2.5, 1n]) {
    const e = await errorOf(pool, 'SELECT credits.grant_credits($1, $2)', [account, value]);
    check(`grant_credits with ${typeof value} ${value}`, e === null, e && e.message);
  }
  for (const value of [new CreditDecimal('1.25'), 1, 0.5, '0.25']) {
    const e = await errorOf(pool, 'SELECT credits.debit($1, $2)', [account, value]);
    check(`debit with ${value instanceof CreditDecimal ? 'Decimal' : typeof value} ${value}`, e === null, e && e.message);
  }
  const balance = await one(pool, 'SELECT credits.balance($1)', [account]);
  check('balance() reads back as an exact Decimal', balance instanceof CreditDecimal && balance.equals('20'), String(balance));
  const text = await one(strings, 'SELECT credits.balance($1)', [account]);
  check('or as its canonical string', text === '20', text);
  const { rows } = await pool.query('SELECT remaining FROM credits.grants_of($1)', [account]);
  const remaining = rows.map((r) => r.remaining.toString());
  check('grants_of() remaining per lot, in burn order', JSON.stringify(remaining) === '["9.5","7","2.5","1"]', JSON.stringify(remaining));
  const parts = await one(pool, "SELECT credits.allocate($1, '{1,1,1}')", ['100']);
  check('credit[] reads back as an array of Decimal', parts.map(String).join(' ') === '33.34 33.33 33.33', String(parts));

  const largest = '170141183460469231731687303715.884105727';
  const back = await one(pool, 'SELECT $1::credit', [largest]);
  check('the largest credit round-trips exactly', back.toFixed() === largest, back.toFixed());
  check('and arithmetic on it is exact with 39 digits of precision',
    back.minus('0.000000001').toFixed() === '170141183460469231731687303715.884105726');

  let e = await errorOf(pool, 'SELECT credits.debit($1, $2)', [account, 0.1 + 0.2]);
  check('a number with more than 9 fractional digits is 22P02 with a hint', e && e.code === '22P02' && !!e.hint, e && e.message);
  e = await errorOf(pool, 'SELECT credits.debit($1, $2)', [account, null]);
  check('a null amount is 22004', e && e.code === '22004', e && e.message);

  const key = `retry-${tag()}`;
  const first = await one(pool, 'SELECT credits.debit($1, $2, $3)', [account, '1', key]);
  const again = await one(pool, 'SELECT credits.debit($1, $2, $3)', [account, '1', key]);
  check('an idempotent retry returns the first operation', first === again, `${first} ${again}`);
  e = await errorOf(pool, 'SELECT credits.debit($1, $2, $3)', [account, '2', key]);
  check('the same key with another amount is CR004', e && e.code === 'CR004', e && e.message);
  check('the retry debited once', (await one(pool, 'SELECT credits.balance($1)', [account])).equals('19'));

  e = await errorOf(pool, 'SELECT credits.debit($1, $2)', [account, '1000']);
  check('CR001 arrives with its SQLSTATE, message and DETAIL',
    e && e.code === 'CR001' && e.message.includes('insufficient credits') && (e.detail || '').includes('available 19'), e && e.message);

  const shared = `node-pool-${tag()}`;
  await one(pool, 'SELECT credits.open_account($1)', [shared]);
  await one(pool, 'SELECT credits.grant_credits($1, $2)', [shared, '10']);
  const clients = await Promise.all(Array.from({ length: 8 }, () => pool.connect()));
  const outcomes = await Promise.all(clients.map((c) =>
    c.query('SELECT credits.debit($1, $2)', [shared, '2']).then(() => 'ok', (err) => err.code)));
  clients.forEach((c) => c.release());
  outcomes.sort();
  check('8 concurrent debits: 5 succeed, 3 are CR001', outcomes.join(',') === 'CR001,CR001,CR001,ok,ok,ok,ok,ok', outcomes.join(','));
  check('and the balance is exactly 0', (await one(pool, 'SELECT credits.balance($1)', [shared])).equals('0'));
  await pool.end();
  await strings.end();
}

main().catch((e) => {
  console.log(`not ok ${count + 1} - node-postgres: ${e.message}`);
  process.exit(1);
});
