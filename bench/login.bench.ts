// Median sign-in latency over HTTP, beside two baselines on the same machine: the bare scrypt
// hash that dominates it (node:crypto, same parameters) and a bare Fastify route.
import { scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { seedDemo } from '../src/features/demo/demo.service.js';
import { syncRoles } from '../src/features/staff/bootstrap.service.js';
import { FieldCipher } from '../src/platform/crypto/field-cipher.js';
import { generateKeys } from '../src/platform/crypto/keyring.js';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-bench-'));
const config = loadConfig({
  LIFELINE_DATA_DIR: dir,
  LIFELINE_LOG_LEVEL: 'silent',
  LIFELINE_INSECURE_COOKIES: '1',
  LIFELINE_RATE_LIMIT_PER_MINUTE: '100000',
  LIFELINE_LOGIN_RATE_PER_MINUTE: '100000',
  LIFELINE_LOGIN_MAX_FAILURES: '100',
});
const database = openDatabase(config.database);
await migrateToLatest(database.db);
await syncRoles(database.db);
const ctx = { config, db: database.db, dialect: database.dialect, cipher: new FieldCipher(generateKeys()), now: () => new Date() };
await seedDemo(ctx, { customers: 0, seed: 1, password: 'bench-password-1' });
const app = await buildApp(ctx, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;

const bare = Fastify();
bare.post('/login', async () => ({ ok: true }));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareAddress = bare.server.address();
const barePort = typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0;

const body = JSON.stringify({ username: 'cm.east', password: 'bench-password-1' });
const post = (p: number, url: string) =>
  fetch(`http://127.0.0.1:${p}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.text());

const lifeline = await time(() => post(port, '/api/v1/auth/login'));
const wrong = await time(() =>
  fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'nobody', password: 'x' }),
  }).then((r) => r.text()),
);
const fastify = await time(() => post(barePort, '/login'));
const N = 2 ** config.scryptLogN;
const hash = await time(
  () =>
    new Promise((res, rej) =>
      scrypt('bench-password-1', 'salt', 64, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (e, k) => (e ? rej(e) : res(k))),
    ),
);

console.log(`sign-in, ${ROUNDS} rounds each, scrypt N=2^${config.scryptLogN} r=8 p=1`);
console.log(`  lifeline POST /api/v1/auth/login (success)      median ${median(lifeline).toFixed(1)} ms`);
console.log(`  lifeline POST /api/v1/auth/login (unknown user) median ${median(wrong).toFixed(1)} ms`);
console.log(`  baseline node:crypto scrypt alone               median ${median(hash).toFixed(1)} ms`);
console.log(`  baseline bare Fastify POST                      median ${median(fastify).toFixed(2)} ms`);

await app.close();
await bare.close();
await database.close();
rmSync(dir, { recursive: true, force: true });
