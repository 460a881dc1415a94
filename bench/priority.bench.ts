// The branch queue's priority lookup (GET /api/v1/priority/{customerNumber}, API key with scope
// priority:read) under a fixed load of BENCH_RATE requests/s (default 2,000) for BENCH_SECONDS
// (default 20), beside a bare Fastify GET route answering a same-sized JSON body at the same rate
// on the same machine. Target (issue 11): p99 under 5 ms at 2,000 requests/s.
//
// The database is an SQLite file prepared here: BENCH_CUSTOMERS customers, BENCH_REGISTERED of them
// registered as cases through the API with accommodations recorded, and an API client with a
// `priority:read` key. Half of the lookups are for registered customers, a quarter for other
// customers, a quarter for numbers the bank does not know. Each server runs in a child process.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config/config.js';
import { type CustomerInput, loadCustomers } from '../src/features/customers/customers.service.js';
import { seedDemo } from '../src/features/demo/demo.service.js';
import { prepareRuntime } from '../src/server.js';
import { type Load, measure, registerCases, report, serveChild, signedIn, startServer } from './lib.js';

const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 5000);
const REGISTERED = Number(process.env.BENCH_REGISTERED ?? 300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PASSWORD = 'bench-password-1';
const here = fileURLToPath(import.meta.url);
const numberOf = (i: number) => `P${String(i).padStart(8, '0')}`;

function benchConfig(dir: string, extra: Record<string, string> = {}): Config {
  return loadConfig({ LIFELINE_DATA_DIR: dir, LIFELINE_INSECURE_COOKIES: '1', LIFELINE_MFA: 'off', LIFELINE_SCRYPT_LOG_N: '12', ...extra });
}

/** Child mode: Lifeline on the prepared database, or the bare baseline answering `answerBytes`. */
async function serve(mode: string, dir: string, answerBytes: number): Promise<void> {
  let app: FastifyInstance;
  if (mode === 'serve') {
    // The limit stays on (its cost is part of the figure) but above the load, as a deployment
    // serving a branch queue system sets it.
    app = await buildApp((await prepareRuntime(benchConfig(dir, { LIFELINE_RATE_LIMIT_PER_MINUTE: '1000000' }))).ctx);
  } else {
    app = Fastify();
    const padding = 'x'.repeat(Math.max(0, answerBytes - 60));
    app.get<{ Params: { customerNumber: string } }>('/api/v1/priority/:customerNumber', async (req) => ({
      customerNumber: req.params.customerNumber,
      priority: false,
      accommodations: [padding],
    }));
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  serveChild(app.server);
}

/** Makes the database: demo users, customers, registered cases with accommodations, a key. */
async function prepare(dir: string): Promise<{ key: string; registered: string[] }> {
  const { ctx, close } = await prepareRuntime(
    benchConfig(dir, { LIFELINE_LOG_LEVEL: 'silent', LIFELINE_RATE_LIMIT_PER_MINUTE: '1000000' }),
    () => undefined,
  );
  await seedDemo(ctx, { customers: 0, seed: 1, password: PASSWORD });
  const inputs: CustomerInput[] = Array.from({ length: CUSTOMERS }, (_, i) => ({
    customerNumber: numberOf(i + 1),
    name: `客户${i + 1}`,
    gender: 'U',
    dateOfBirth: null,
    nationalId: null,
    phone: null,
    address: null,
    branchCode: 'EAST',
    segment: 'mass',
    openedOn: null,
  }));
  for (let i = 0; i < inputs.length; i += 500) await loadCustomers(ctx, ctx.db, inputs.slice(i, i + 500));
  const app = await buildApp(ctx, { logger: false });
  const { customerNumbers, caseIds } = await registerCases(
    app,
    PASSWORD,
    inputs.map((c) => c.customerNumber),
    REGISTERED,
  );
  const sup = await signedIn(app, 'sup.east', PASSWORD);
  for (const id of caseIds) await sup('PUT', `/api/v1/cases/${id}/accommodations`, { codes: ['wheelchair_access', 'seated_service'] });
  const admin = await signedIn(app, 'admin', PASSWORD);
  const client = await admin('POST', '/api/v1/admin/api-clients', { name: '排队叫号系统（基准）', scopes: ['priority:read'] });
  const { key } = await admin('POST', `/api/v1/admin/api-clients/${client.id}/keys`);
  await app.close();
  await close();
  return { key, registered: customerNumbers };
}

function paths(n: number, registered: readonly string[]): { path: string }[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  return Array.from({ length: n }, () => {
    const pick = rand();
    const customer =
      pick < 0.5
        ? (registered[Math.floor(rand() * registered.length)] ?? '')
        : pick < 0.75
          ? numberOf(1 + Math.floor(rand() * CUSTOMERS))
          : `X${Math.floor(rand() * 1e8)}`;
    return { path: `/api/v1/priority/${customer}` };
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-bench-priority-'));
  try {
    console.log(`preparing: ${CUSTOMERS} customers, ${REGISTERED} registered with accommodations …`);
    const prepared = await prepare(dir);
    const requests = paths(20_000, prepared.registered);
    const loadOf = (headers: Record<string, string>): Load => ({ method: 'GET', requests, headers, rate: RATE, connections: CONNECTIONS });
    const auth = { authorization: `Bearer ${prepared.key}` };

    const lifeline = await startServer(here, ['serve', dir, '0']);
    let bytes = 0;
    let priority = 0;
    for (const r of requests.slice(0, 1000)) {
      const res = await fetch(`http://127.0.0.1:${lifeline.port}${r.path}`, { headers: auth });
      const text = await res.text();
      if (!res.ok) throw new Error(`${r.path}: ${res.status} ${text}`);
      bytes += text.length;
      if ((JSON.parse(text) as { priority: boolean }).priority) priority += 1;
    }
    const answerBytes = Math.round(bytes / 1000);
    console.log(`  first 1,000 lookups: ${priority} priority customers; answers ≈ ${answerBytes} bytes`);
    const measured = await measure(lifeline.child, lifeline.port, loadOf(auth), SECONDS);
    const bare = await startServer(here, ['bare', dir, String(answerBytes)]);
    const baseline = await measure(bare.child, bare.port, loadOf({}), SECONDS);

    report(
      `priority lookups at ${RATE} requests/s for ${SECONDS} s, ${CONNECTIONS} connections`,
      [
        ['lifeline GET priority', measured],
        ['baseline bare Fastify GET', baseline],
      ],
      5,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, dirArg, bytesArg] = process.argv.slice(2);
if ((mode === 'serve' || mode === 'bare') && dirArg) await serve(mode, dirArg, Number(bytesArg ?? 0));
else await main();
