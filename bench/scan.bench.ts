// Transaction analysis: this engine (`lifeline scan`) beside DuckDB running the same rules as SQL
// over the same CSV files, in one run — (a) the cold full scan of 90 days of history and (b) the
// daily incremental job (one new day). Each job runs in its own child process, which reports its
// time and peak RSS. Sizes: BENCH_ROWS (default 10 000 000), BENCH_ACCOUNTS (default rows / 10).
// The data is generated once into a cache folder under the OS temp dir and reused.
import { spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import defaults from '../src/domain/analysis/rules.default.json' with { type: 'json' };
import { TRANSACTION_COLUMNS } from '../src/domain/analysis/transaction.js';
import { defaultRuleSet, loadState, saveState, scanFiles } from '../src/features/analysis/analysis.service.js';
import { csvLine, generateCustomer } from '../src/features/analysis/generator.js';

const HISTORY_DAYS = 90;
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? Math.max(1, Math.round(ROWS / 10)));
const SEED = 1;
// A quarter of the generator's default shares of planted stories: fewer busy customers, closer to ten rows per account.
const PLANTED = 0.25;
const self = fileURLToPath(import.meta.url);

interface JobResult {
  seconds: number;
  rows: number;
  bytes: number;
  findings: number;
  maxRssMb: number;
  note?: string;
}

/** Everyday purchases per account and day that give about ROWS rows (salary and bills come on top). */
function rateFor(): number {
  const sample = 500;
  const rowsAt = (rate: number) => {
    let n = 0;
    for (let i = 1; i <= sample; i++)
      n += generateCustomer({ accounts: ACCOUNTS, days: HISTORY_DAYS + 1, seed: SEED, rate, plantedShare: PLANTED }, i).rows.length;
    return n / sample;
  };
  const fixed = rowsAt(0);
  const perRate = rowsAt(1) - fixed;
  return Math.max(0, (ROWS / ACCOUNTS - fixed) / perRate);
}

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
}

/** Generates history.csv (90 days) and day.csv (the 91st) once per size. */
async function dataset(): Promise<{ dir: string; history: string; day: string }> {
  const dir = path.join(os.tmpdir(), 'lifeline-bench-scan', `${ROWS}-${ACCOUNTS}-s${SEED}-p${PLANTED}`);
  const history = path.join(dir, 'history.csv');
  const day = path.join(dir, 'day.csv');
  if (existsSync(path.join(dir, 'complete'))) return { dir, history, day };
  mkdirSync(dir, { recursive: true });
  const rate = rateFor();
  console.log(`generating ${ACCOUNTS} accounts × ${HISTORY_DAYS + 1} days (rate ${rate.toFixed(3)}) into ${dir} …`);
  const header = `${TRANSACTION_COLUMNS.join(',')}\n`;
  const outs = [createWriteStream(history), createWriteStream(day)] as const;
  const texts = [header, header];
  for (let i = 1; i <= ACCOUNTS; i++) {
    for (const row of generateCustomer({ accounts: ACCOUNTS, days: HISTORY_DAYS + 1, seed: SEED, rate, plantedShare: PLANTED }, i).rows) {
      const k = row.day < HISTORY_DAYS ? 0 : 1;
      texts[k] += csvLine(row);
    }
    for (const k of [0, 1] as const) {
      const text = texts[k] ?? '';
      if (text.length > 1 << 20) {
        await put(outs[k], text);
        texts[k] = '';
      }
    }
    if (i % 200_000 === 0) console.log(`  ${i} accounts`);
  }
  for (const k of [0, 1] as const) {
    await put(outs[k], texts[k] ?? '');
    await new Promise((resolve) => outs[k].end(resolve));
  }
  writeFileSync(path.join(dir, 'complete'), '');
  return { dir, history, day };
}

// ---- the same rules as SQL (DuckDB). Windows are exact where the engine uses 15-day buckets and
// rings of 8: the figures compare speed; the finding counts are printed as a sanity check.
const P = Object.fromEntries(defaults.rules.map((r) => [r.id, r.params])) as Record<string, Record<string, unknown>>;
const list = (xs: unknown) => (Array.isArray(xs) ? xs.map((x) => `'${String(x).replaceAll("'", "''")}'`).join(',') : "''");
const re = (xs: unknown) =>
  `'${(Array.isArray(xs) ? xs.map((x) => String(x).replace(/[[\]().*+?^$|\\]/g, '\\$&')) : []).join('|').toLowerCase()}'`;
const n = (id: string, k: string) => Number(P[id]?.[k]);
const DAY_MS = 86_400_000;

function loadSql(file: string, table: string, create: boolean): string {
  const cols = TRANSACTION_COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ');
  return `${create ? `CREATE TABLE ${table} AS` : `INSERT INTO ${table}`} SELECT txn_id, account_id, customer_number, epoch_ms(booked_at::TIMESTAMPTZ) AS ms,
    amount_minor::BIGINT AS amt, direction = 'debit' AS debit, channel, counterparty_name AS cp, counterparty_account AS cpa, mcc, lower(description) AS descr
    FROM read_csv('${file}', header = true, auto_detect = false, quote = '"', escape = '"', columns = {${cols}})`;
}

/** Rule hits (customer, rule) as SQL over table t; `scope` limits the customers and the judged day. */
function rulesSql(scope: { customers: string; fromMs: number } | null): string {
  const where = scope ? `WHERE customer_number IN (${scope.customers})` : '';
  const judged = scope ? `AND ms >= ${scope.fromMs}` : '';
  const u = 'unusual_hour_or_channel';
  return `
  WITH own AS (SELECT DISTINCT customer_number, account_id FROM t ${where}),
  x AS (
    SELECT t.*, o.account_id IS NOT NULL AS own, regexp_matches(descr, ${re(defaults.plannedMarkers)}) AS planned,
      mcc IN (${list(P.medical_spend_above_baseline?.medicalMccs)}) AS med,
      ((ms // 3600000 + ${n(u, 'utcOffsetHours')}) % 24) BETWEEN ${n(u, 'nightStartHour')} AND ${n(u, 'nightEndHour') - 1} AND channel NOT IN (${list(P[u]?.ignoreChannels)}) AS night,
      NOT debit AND regexp_matches(descr, ${re(P.early_redemption_near_medical?.keywords)}) AND amt >= ${n('early_redemption_near_medical', 'minAmountMinor')} AS redemption,
      ms // ${DAY_MS} AS day
    FROM t LEFT JOIN own o ON o.customer_number = t.customer_number AND o.account_id = t.cpa ${where ? where.replace('customer_number', 't.customer_number') : ''}
  ),
  w AS (
    SELECT *,
      sum(CASE WHEN debit THEN amt END) OVER d90 AS sum90, count(CASE WHEN debit THEN 1 END) OVER d90 AS n90,
      count(CASE WHEN debit THEN 1 END) OVER before AS debits_before, count(CASE WHEN debit AND night THEN 1 END) OVER before AS nights_before,
      sum(CASE WHEN debit AND med THEN amt ELSE 0 END) OVER r30 AS med30, sum(CASE WHEN debit AND med THEN amt ELSE 0 END) OVER older AS med_older,
      count(CASE WHEN debit AND NOT own THEN 1 END) OVER burst AS burst_n, sum(CASE WHEN debit AND NOT own THEN amt ELSE 0 END) OVER burst AS burst_sum,
      max(CASE WHEN redemption THEN day END) OVER upto AS redeemed_day,
      count(*) OVER (PARTITION BY customer_number, cpa ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS payee_before,
      count(*) OVER (PARTITION BY customer_number, channel ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS channel_before,
      count(CASE WHEN mcc IN (${list(P.recurring_hospital_payments?.hospitalMccs)}) THEN day END) OVER (PARTITION BY customer_number, cp ORDER BY ms RANGE BETWEEN ${n('recurring_hospital_payments', 'windowDays') * DAY_MS} PRECEDING AND CURRENT ROW) AS hospital_n
    FROM x
    WINDOW d90 AS (PARTITION BY customer_number ORDER BY ms RANGE BETWEEN ${90 * DAY_MS} PRECEDING AND 1 PRECEDING),
      before AS (PARTITION BY customer_number ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
      upto AS (PARTITION BY customer_number ORDER BY ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
      r30 AS (PARTITION BY customer_number ORDER BY ms RANGE BETWEEN ${30 * DAY_MS} PRECEDING AND CURRENT ROW),
      older AS (PARTITION BY customer_number ORDER BY ms RANGE BETWEEN ${90 * DAY_MS} PRECEDING AND ${30 * DAY_MS} PRECEDING),
      burst AS (PARTITION BY customer_number ORDER BY ms RANGE BETWEEN ${n('outflow_burst', 'windowMinutes') * 60_000 - 1} PRECEDING AND CURRENT ROW)
  ),
  hits AS (
    SELECT customer_number, 'medical_spend_above_baseline' AS rule FROM w WHERE debit AND med ${judged} AND med30 >= ${n('medical_spend_above_baseline', 'minRecentMinor')}
      AND med30 >= ${n('medical_spend_above_baseline', 'multiple')} * greatest(med_older / 2, ${n('medical_spend_above_baseline', 'baselineFloorMinor')})
    UNION SELECT customer_number, 'recurring_hospital_payments' FROM w WHERE debit ${judged} AND hospital_n >= ${n('recurring_hospital_payments', 'minPayments')}
    UNION SELECT customer_number, 'ci_insurance_payout' FROM w WHERE NOT debit ${judged} AND amt >= ${n('ci_insurance_payout', 'minAmountMinor')}
      AND regexp_matches(lower(cp), ${re(P.ci_insurance_payout?.insurerKeywords)}) AND regexp_matches(descr, ${re(P.ci_insurance_payout?.payoutKeywords)})
    UNION SELECT customer_number, 'medical_crowdfunding' FROM w WHERE NOT debit ${judged} AND regexp_matches(lower(cp) || ' ' || descr, ${re(P.medical_crowdfunding?.keywords)})
    UNION SELECT customer_number, 'early_redemption_near_medical' FROM w WHERE ${judged.replace('AND', '')} ${judged ? 'AND' : ''}
      ((redemption AND med30 >= ${n('early_redemption_near_medical', 'minMedicalMinor')}) OR (debit AND med AND day - redeemed_day <= ${n('early_redemption_near_medical', 'windowDays')} AND med30 >= ${n('early_redemption_near_medical', 'minMedicalMinor')}))
    UNION SELECT customer_number, 'outflow_above_baseline' FROM w WHERE debit ${judged} AND NOT own AND NOT planned AND amt >= ${n('outflow_above_baseline', 'minAmountMinor')}
      AND n90 >= ${n('outflow_above_baseline', 'minHistory')} AND amt * n90 >= ${n('outflow_above_baseline', 'multiple')} * sum90 AND mcc NOT IN (${list(P.outflow_above_baseline?.exemptMccs)})
    UNION SELECT customer_number, 'new_payee_large' FROM w WHERE debit ${judged} AND NOT own AND NOT planned AND cpa <> '' AND payee_before = 0 AND amt >= ${n('new_payee_large', 'minAmountMinor')}
      AND channel IN (${list(P.new_payee_large?.channels)}) AND debits_before >= ${n('new_payee_large', 'minHistory')}
    UNION SELECT customer_number, 'outflow_burst' FROM w WHERE debit ${judged} AND NOT own AND burst_n >= ${n('outflow_burst', 'minCount')} AND burst_sum >= ${n('outflow_burst', 'minTotalMinor')}
    UNION SELECT customer_number, 'unusual_hour_or_channel' FROM w WHERE debit ${judged} AND NOT own AND NOT planned AND channel NOT IN (${list(P[u]?.ignoreChannels)})
      AND amt >= ${n(u, 'minAmountMinor')} AND debits_before >= ${n(u, 'minHistory')}
      AND ((night AND nights_before <= ${n(u, 'maxNightShare')} * debits_before) OR (channel_before = 0 AND amt >= ${n(u, 'newChannelMinAmountMinor')} AND debits_before >= ${n(u, 'newChannelMinHistory')}))
    UNION SELECT customer_number, 'large_cash_withdrawal' FROM w WHERE debit ${judged} AND NOT planned AND channel IN (${list(P.large_cash_withdrawal?.channels)}) AND amt >= ${n('large_cash_withdrawal', 'minAmountMinor')}
    -- payroll stopping is about absence: judged over every customer, as the engine does; the daily
    -- job has no memory of earlier reports, so it reports the day the silence crosses the limit
    UNION SELECT customer_number, 'payroll_stopped' FROM (
      SELECT customer_number, count(*) AS n, max(ms // ${DAY_MS}) AS last FROM t WHERE NOT debit AND regexp_matches(descr, ${re(P.payroll_stopped?.keywords)}) GROUP BY customer_number)
      WHERE n >= ${n('payroll_stopped', 'minCredits')} AND (SELECT max(ms) // ${DAY_MS} FROM t) - last ${scope ? '=' : '>'} ${n('payroll_stopped', 'maxGapDays') + (scope ? 1 : 0)}
  ),
  weights(rule, kind, weight) AS (VALUES ${defaults.rules.map((r) => `('${r.id}', '${r.kind}', ${r.weight})`).join(', ')})
  SELECT count(*) AS findings FROM (
    SELECT customer_number, kind, least(sum(weight), ${defaults.scoreCap}) AS score FROM hits JOIN weights USING (rule) GROUP BY customer_number, kind)
  WHERE (kind = 'illness_signal' AND score >= ${defaults.thresholds.illness_signal}) OR (kind = 'fund_safety' AND score >= ${defaults.thresholds.fund_safety})`;
}

// ---- child jobs
async function child(job: string, args: string[]): Promise<JobResult> {
  const t0 = process.hrtime.bigint();
  const secs = () => Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const [a = '', b = '', c = ''] = args;
  if (job === 'engine-cold' || job === 'engine-daily') {
    const rules = defaultRuleSet();
    const loaded = job === 'engine-daily' ? loadState(a) : null;
    const files = job === 'engine-cold' ? [a] : [b];
    const { summary, engine } = await scanFiles(files, { rules, ...(loaded ? { state: loaded.state } : {}) });
    const scanned = secs();
    // The cold scan saves the state the daily job goes on from (timed separately); the daily job saves its new state.
    await saveState(job === 'engine-cold' ? b : c, engine.state, rules.version);
    const total = secs();
    return {
      seconds: job === 'engine-cold' ? scanned : total,
      rows: summary.rows,
      bytes: summary.bytes,
      findings: summary.findings,
      maxRssMb: rss(),
      note: job === 'engine-cold' ? `saving the state for the daily job took a further ${(total - scanned).toFixed(2)} s` : undefined,
    };
  }
  const { DuckDBInstance } = await import('@duckdb/node-api');
  if (job === 'duckdb-cold') {
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(loadSql(a, 't', true));
    const rows = Number((await con.runAndReadAll('SELECT count(*) FROM t')).getRows()[0]?.[0] ?? 0);
    const findings = Number((await con.runAndReadAll(rulesSql(null))).getRows()[0]?.[0] ?? 0);
    return { seconds: secs(), rows, bytes: statSync(a).size, findings, maxRssMb: rss() };
  }
  if (job === 'duckdb-prepare') {
    const db = await DuckDBInstance.create(b);
    const con = await db.connect();
    await con.run(loadSql(a, 't', true));
    await con.run('CHECKPOINT');
    con.closeSync();
    return { seconds: secs(), rows: 0, bytes: 0, findings: 0, maxRssMb: rss() };
  }
  // duckdb-daily: the history is already stored in its own database file (its "state"); the job
  // adds the new day and runs the rules for the customers of that day over their stored history.
  const db = await DuckDBInstance.create(a);
  const con = await db.connect();
  await con.run(loadSql(b, 'newday', true).replace('CREATE TABLE', 'CREATE TEMP TABLE'));
  await con.run('INSERT INTO t SELECT * FROM newday');
  const fromMs = Number((await con.runAndReadAll('SELECT min(ms) FROM newday')).getRows()[0]?.[0] ?? 0);
  const rows = Number((await con.runAndReadAll('SELECT count(*) FROM newday')).getRows()[0]?.[0] ?? 0);
  const findings = Number(
    (await con.runAndReadAll(rulesSql({ customers: 'SELECT customer_number FROM newday', fromMs }))).getRows()[0]?.[0] ?? 0,
  );
  con.closeSync();
  return { seconds: secs(), rows, bytes: statSync(b).size, findings, maxRssMb: rss() };
}

function runChild(job: string, ...args: string[]): JobResult {
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', job, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${job} failed:\n${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as JobResult; // the child prints exactly this shape
}

if (process.argv[2] === '--child') {
  const [job = '', ...args] = process.argv.slice(3);
  console.log(JSON.stringify(await child(job, args)));
  process.exit(0);
}

const { dir, history, day } = await dataset();
const state = path.join(dir, 'engine.state');
const work = path.join(dir, 'work');
mkdirSync(work, { recursive: true });
const duckHistory = path.join(dir, 'history.duckdb');
if (!existsSync(duckHistory)) runChild('duckdb-prepare', history, duckHistory);

const engineCold = runChild('engine-cold', history, state);
const duckCold = runChild('duckdb-cold', history);
// Each daily run starts from a fresh copy of yesterday's state, so the job can be repeated.
copyFileSync(state, path.join(work, 'in.state'));
const engineDaily = runChild('engine-daily', path.join(work, 'in.state'), day, path.join(work, 'out.state'));
copyFileSync(duckHistory, path.join(work, 'daily.duckdb'));
rmSync(path.join(work, 'daily.duckdb.wal'), { force: true });
const duckDaily = runChild('duckdb-daily', path.join(work, 'daily.duckdb'), day);

const fmt = (name: string, r: JobResult) =>
  `  ${name.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s  ${Math.round(r.rows / r.seconds)
    .toLocaleString('en')
    .padStart(
      11,
    )} rows/s  ${(r.bytes / 1e6 / r.seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${String(r.maxRssMb).padStart(5)} MB  findings ${r.findings}`;
console.log(`transaction analysis, ${ACCOUNTS.toLocaleString('en')} accounts; ${os.cpus().length} cores; node ${process.version}`);
console.log(
  `(a) cold full scan of ${HISTORY_DAYS} days: ${engineCold.rows.toLocaleString('en')} rows, ${(engineCold.bytes / 1e6).toFixed(0)} MB of CSV`,
);
console.log(fmt('lifeline engine (1 thread)', engineCold));
console.log(fmt('baseline DuckDB SQL (all cores)', duckCold));
console.log(`    engine/DuckDB speed ${(duckCold.seconds / engineCold.seconds).toFixed(2)}×  (${engineCold.note})`);
console.log(
  `(b) daily incremental job: one new day, ${engineDaily.rows.toLocaleString('en')} rows, against ${HISTORY_DAYS} days of history`,
);
console.log(fmt('lifeline engine: load state, scan, save', engineDaily));
console.log(fmt('baseline DuckDB: insert day, rules SQL', duckDaily));
console.log(`    engine/DuckDB speed ${(duckDaily.seconds / engineDaily.seconds).toFixed(2)}×`);
console.log(
  '    fairness: the engine reads only the new day plus its saved state file; DuckDB keeps the history in its own\n' +
    '    database file (loaded beforehand, untimed, as the engine state is built beforehand) and re-reads from it the\n' +
    '    history of the customers active that day. Rows/s and MB/s of (b) count the new day only.',
);
