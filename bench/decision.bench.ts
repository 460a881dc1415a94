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
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config/config.js';
import { type Transaction, toTransaction } from '../src/domain/analysis/transaction.js';
import { GEN_END_DATE, type GenRow, genCustomerNumber, generateCustomer } from '../src/features/analysis/generator.js';
import { type CustomerInput, loadCustomers } from '../src/features/customers/customers.service.js';
import { seedDemo } from '../src/features/demo/demo.service.js';
import { activeRuleSet } from '../src/features/rules/rules.service.js';
import { ingestTransactions } from '../src/features/ingestion/ingest.service.js';
import { prepareRuntime } from '../src/server.js';

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
  const address = app.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  // The parent asks for the CPU time spent so far, then stops the server (exiting normally, so a profile is written).
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (m === 'stop') process.exit(0);
  });
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
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    return async (method: 'POST', url: string, payload?: object) => {
      const r = await app.inject({ method, url, payload, headers: { cookie, 'x-csrf-token': csrf } });
      if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json<{ id: string; key: string }>();
    };
  };
  const teller = await login('teller.east');
  const sup = await login('sup.east');
  const admin = await login('admin');
  const registered: string[] = [];
  for (let i = 1; i <= CUSTOMERS && registered.length < REGISTERED; i++) {
    const customerNumber = genCustomerNumber(i);
    const lead = await teller('POST', '/api/v1/leads', { channel: 'self_report', customerNumber, summary: '客户自述确诊' });
    try {
      await sup('POST', `/api/v1/leads/${lead.id}/decision`, { decision: 'confirm', reason: '核实属实' });
    } catch {
      // The ingested history already raised an illness lead for this customer: the new one is its duplicate.
      continue;
    }
    await sup('POST', '/api/v1/cases', {
      leadId: lead.id,
      condition: { category: 'severe_malignant_tumour', description: '基准测试' },
      mobilityImpaired: false,
      financialImpact: {},
      severity: 'medium',
      reviewOn: '2027-12-01',
      consent: { healthProcessing: { givenAt: '2026-01-01T08:00:00Z', channel: 'paper', evidenceRef: 'BENCH' } },
    });
    registered.push(customerNumber);
  }
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

function start(mode: 'serve' | 'bare', dir: string, answerBytes: number): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_PROFILE=<folder>: a V8 CPU profile of each server, written when it is stopped.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(here, [mode, dir, String(answerBytes)], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port })); // serve() sends this shape
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** The server's CPU time so far (user + system), in microseconds. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => {
      const { cpu } = m as { cpu: NodeJS.CpuUsage }; // serve() answers 'cpu' with this shape
      resolve(cpu.user + cpu.system);
    });
    child.send('cpu');
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

/** Runs the load, and answers autocannon's result with the server's CPU time per request. */
async function measure(child: ChildProcess, port: number, headers: Record<string, string>, payloads: string[]) {
  await load(port, headers, payloads, 3); // warm-up
  const before = await cpuOf(child);
  const result = await load(port, headers, payloads, SECONDS);
  const cpuPerRequest = (await cpuOf(child)) - before;
  await stop(child);
  return { result, cpuMicros: cpuPerRequest / Math.max(1, result.requests.total) };
}

async function load(port: number, headers: Record<string, string>, payloads: string[], seconds: number) {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}${URL_PATH}`,
    method: 'POST',
    connections: CONNECTIONS,
    overallRate: RATE,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [
      {
        setupRequest: (req) => {
          next = (next + 1) % payloads.length;
          return { ...req, body: payloads[next] };
        },
      },
    ],
  });
}

function line(name: string, r: autocannon.Result, cpuMicros: number): string {
  const l = r.latency;
  const ok = r['2xx'];
  return `  ${name.padEnd(30)} p50 ${l.p50.toFixed(2)} ms  p90 ${l.p90.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms  max ${l.max.toFixed(2)} ms  ${(r.requests.total / r.duration).toFixed(0)} req/s  server CPU ${cpuMicros.toFixed(0)} µs/request  (2xx ${ok}, other ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`;
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

    const lifeline = await start('serve', dir, 0);
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
    const measured = await measure(lifeline.child, port, auth, payloads);
    const bare = await start('bare', dir, answerBytes);
    const baseline = await measure(bare.child, bare.port, {}, payloads);

    console.log(
      `\ndecisions at ${RATE} requests/s for ${SECONDS} s, ${CONNECTIONS} connections (autocannon overallRate), ${os.cpus().length} cores`,
    );
    console.log(line('lifeline POST decisions', measured.result, measured.cpuMicros));
    console.log(line('baseline bare Fastify POST', baseline.result, baseline.cpuMicros));
    const met = measured.result.latency.p99 < 10 && measured.result.non2xx === 0;
    console.log(
      `  target: p99 < 10 ms — ${met ? 'met' : 'MISSED'} (load average ${os.loadavg()[0]?.toFixed(1)}: other work on the machine counts too)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, dirArg, bytesArg] = process.argv.slice(2);
if ((mode === 'serve' || mode === 'bare') && dirArg) await serve(mode, dirArg, Number(bytesArg ?? 0));
else await main();
