// The real-time decision endpoint (POST /api/v1/transactions/decisions) under a fixed load of
// BENCH_RATE requests/s (default 2,000) for BENCH_SECONDS (default 20), with varied bodies, beside
// a bare Fastify route answering a same-sized JSON body at the same rate on the same machine.
// Target (issue 5): p99 under 10 ms at 2,000 requests/s.
//
// The database is an SQLite file prepared here: generated history (src/features/analysis/generator.ts)
// of BENCH_CUSTOMERS customers ingested through the ingestion pipeline, a share of them registered
// as cases through the API, and an API client with a `transactions:decide` key. Each server runs in
// a child process of its own (this file, started with `serve` or `bare`), so that autocannon here
// does not share an event loop with it. The server logs at the configured default level (info) into
// /dev/null: logging costs what it costs in production.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config/config.js';
import { type Transaction, toTransaction } from '../src/domain/analysis/transaction.js';
import { GEN_END_DATE, type GenRow, genCustomerNumber, generateCustomer } from '../src/features/analysis/generator.js';
import { type CustomerInput, loadCustomers } from '../src/features/customers/customers.service.js';
import { seedDemo } from '../src/features/demo/demo.service.js';
import { ingestTransactions } from '../src/features/ingestion/ingest.service.js';
import { activeRuleSet } from '../src/features/rules/rules.service.js';
import { prepareRuntime } from '../src/server.js';
import { type Load, measure, registerCases, report, serveChild, signedIn, startServer } from './lib.js';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 3000);
const DAYS = Number(process.env.BENCH_DAYS ?? 60);
const REGISTERED = Number(process.env.BENCH_REGISTERED ?? 300);
// A payment system keeps a small pool of keep-alive connections; 64 on these two cores (where
// autocannon runs too) mostly measures the client's own queueing: bare Fastify's p99 is 23 ms then.
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PASSWORD = 'bench-password-1';
const URL_PATH = '/api/v1/transactions/decisions';
const here = fileURLToPath(import.meta.url);

function benchConfig(dir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    LIFELINE_DATA_DIR: dir,
    LIFELINE_INSECURE_COOKIES: '1',
    LIFELINE_MFA: 'off',
    LIFELINE_SCRYPT_LOG_N: '12',
    ...extra,
  });
}

/** Child mode: Lifeline on the prepared database, or the bare baseline; answers its port over IPC. */
async function serve(mode: string, dir: string, answerBytes: number): Promise<void> {
  let app: FastifyInstance;
  if (mode === 'serve') {
    // As `lifeline serve` starts: the key file and database that prepare() left in `dir`.
    app = await buildApp((await prepareRuntime(benchConfig(dir))).ctx);
  } else {
    app = Fastify();
    const padding = 'x'.repeat(Math.max(0, answerBytes - 80));
    app.post(URL_PATH, async (req) => {
      const body = req.body as { customer_number?: string }; // the bench sends this very shape
      return { decision: 'allow', protected: false, score: 0, rules: [], rulesVersion: body.customer_number ?? '', padding };
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  serveChild(app.server);
}

function rowOf(g: GenRow): Transaction {
  const t = toTransaction([
    g.txnId,
    g.accountId,
    g.customerNumber,
    new Date(g.atMs).toISOString(),
    String(g.amountMinor),
    'CNY',
    g.direction,
    g.channel,
    g.counterpartyName,
    g.counterpartyAccount,
    g.mcc,
    g.description,
  ]);
  if (typeof t === 'string') throw new Error(`generated row refused: ${t}`);
  return t;
}

/** Makes the database: demo users, customers, their ingested history, registered cases, a key. */
async function prepare(dir: string): Promise<{ key: string; rows: number; seconds: number; registered: string[] }> {
  const config = benchConfig(dir, { LIFELINE_LOG_LEVEL: 'silent', LIFELINE_RATE_LIMIT_PER_MINUTE: '1000000' });
  const { ctx, close } = await prepareRuntime(config, () => undefined);
  await seedDemo(ctx, { customers: 0, seed: 1, password: PASSWORD });

  const inputs: CustomerInput[] = [];
  for (let i = 1; i <= CUSTOMERS; i++) {
    inputs.push({
      customerNumber: genCustomerNumber(i),
      name: `客户${i}`,
      gender: 'U',
      dateOfBirth: null,
      nationalId: null,
      phone: null,
      address: null,
      branchCode: 'EAST',
      segment: 'mass',
      openedOn: null,
    });
  }
  for (let i = 0; i < inputs.length; i += 500) await loadCustomers(ctx, ctx.db, inputs.slice(i, i + 500));

  const started = performance.now();
  const rules = await activeRuleSet(ctx.db);
  let chunk: Transaction[] = [];
  let rows = 0;
  const flush = async () => {
    const txns = chunk;
    chunk = [];
    await ctx.db.transaction().execute((trx) => ingestTransactions(ctx, trx, txns, { rules, batchId: null }));
  };
  for (let i = 1; i <= CUSTOMERS; i++) {
    for (const g of generateCustomer({ accounts: CUSTOMERS, days: DAYS, seed: 7 }, i).rows) chunk.push(rowOf(g));
    if (chunk.length >= 2000) {
      rows += chunk.length;
      await flush();
    }
  }
  rows += chunk.length;
  await flush();
  const seconds = (performance.now() - started) / 1000;

  const app = await buildApp(ctx, { logger: false });
  const admin = await signedIn(app, 'admin', PASSWORD);
  const registered = (
    await registerCases(
      app,
      PASSWORD,
      Array.from({ length: CUSTOMERS }, (_, i) => genCustomerNumber(i + 1)),
      REGISTERED,
    )
  ).customerNumbers;
  const client = await admin('POST', '/api/v1/admin/api-clients', { name: '支付系统（基准）', scopes: ['transactions:decide'] });
  const { key } = await admin('POST', `/api/v1/admin/api-clients/${client.id}/keys`);
  await app.close();
  await close();
  return { key, rows, seconds, registered };
}

/** Varied transactions of the generated customers, the day after their history ends. */
function bodies(n: number, registered: readonly string[]): string[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const day = Date.parse(`${GEN_END_DATE}T00:00:00Z`) + 86_400_000;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // Half of the requests for registered customers, whose decisions can be review or hold.
    const pick = rand();
    const customer =
      pick < 0.5 ? (registered[Math.floor(rand() * registered.length)] ?? '') : genCustomerNumber(1 + Math.floor(rand() * CUSTOMERS));
    const kind = rand();
    const base = {
      txn_id: `BENCH-${i}`,
      account_id: `${customer}-A1`,
      customer_number: customer,
      booked_at: new Date(day + Math.floor(rand() * 86_400_000)).toISOString(),
      currency: 'CNY',
      direction: 'debit',
    };
    if (kind < 0.7) {
      out.push(
        JSON.stringify({
          ...base,
          amount_minor: 1000 + Math.floor(rand() * 50_000),
          channel: 'card',
          counterparty_name: '华联超市',
          mcc: '5411',
          description: '日常购物',
        }),
      );
    } else if (kind < 0.9) {
      out.push(
        JSON.stringify({
          ...base,
          amount_minor: 100_000 + Math.floor(rand() * 10_000_000),
          channel: 'transfer',
          counterparty_name: '收款人',
          counterparty_account: `62220000${Math.floor(rand() * 1e8)}`,
          description: '转账',
        }),
      );
    } else {
      out.push(JSON.stringify({ ...base, amount_minor: 50_000 + Math.floor(rand() * 3_000_000), channel: 'atm', description: 'ATM取款' }));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-bench-decision-'));
  try {
    console.log(`preparing: ${CUSTOMERS} customers × ${DAYS} days of generated history, ${REGISTERED} registered …`);
    const prepared = await prepare(dir);
    console.log(
      `  ingested ${prepared.rows} rows in ${prepared.seconds.toFixed(1)} s (${(prepared.rows / prepared.seconds).toFixed(0)} rows/s)`,
    );
    console.log(`  registered ${prepared.registered.length} customers as cases`);
    const payloads = bodies(20_000, prepared.registered);
    const auth = { authorization: `Bearer ${prepared.key}` };
    const loadOf = (headers: Record<string, string>): Load => ({
      method: 'POST',
      requests: payloads.map((body) => ({ path: URL_PATH, body })),
      headers,
      rate: RATE,
      connections: CONNECTIONS,
    });

    const lifeline = await startServer(here, ['serve', dir, '0']);
    const port = lifeline.port;
    const tally: Record<string, number> = {};
    let answerBytes = 0;
    for (const p of payloads.slice(0, 1000)) {
      const res = await fetch(`http://127.0.0.1:${port}${URL_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: p,
      });
      const text = await res.text();
      answerBytes += text.length;
      const d = res.ok
        ? (JSON.parse(text) as { decision: string; protected: boolean })
        : { decision: `HTTP ${res.status}`, protected: false };
      const k = `${d.decision}${d.protected ? '' : ' (unprotected)'}`;
      tally[k] = (tally[k] ?? 0) + 1;
    }
    answerBytes = Math.round(answerBytes / 1000);
    console.log(`  first 1,000 bodies: ${JSON.stringify(tally)}; answers ≈ ${answerBytes} bytes`);
    const measured = await measure(lifeline.child, port, loadOf(auth), SECONDS);
    const bare = await startServer(here, ['bare', dir, String(answerBytes)]);
    const baseline = await measure(bare.child, bare.port, loadOf({}), SECONDS);

    report(
      `decisions at ${RATE} requests/s for ${SECONDS} s, ${CONNECTIONS} connections (autocannon overallRate)`,
      [
        ['lifeline POST decisions', measured],
        ['baseline bare Fastify POST', baseline],
      ],
      10,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, dirArg, bytesArg] = process.argv.slice(2);
if ((mode === 'serve' || mode === 'bare') && dirArg) await serve(mode, dirArg, Number(bytesArg ?? 0));
else await main();
