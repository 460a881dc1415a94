import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { TRANSACTION_COLUMNS } from '../../src/domain/analysis/transaction.js';
import { csvLine, type GenLabel, type GenOptions, type GenRow, generateCustomer } from '../../src/features/analysis/generator.js';
import { loadCustomers } from '../../src/features/customers/customers.service.js';
import { ensureBranch, ensureStaff } from '../../src/features/staff/bootstrap.service.js';
import { type Db, type Dialect, openDatabase } from '../../src/platform/db/database.js';
import { prepareRuntime } from '../../src/server.js';
import { freshDatabase, PG_URL } from '../helpers/harness.js';

/** Writes generated transactions as CSV (customer by customer, constant memory); `keep` picks rows. */
export async function writeGeneratedCsv(
  file: string,
  opts: GenOptions,
  keep: (row: GenRow) => boolean = () => true,
): Promise<{ rows: number; labels: GenLabel[] }> {
  const out = createWriteStream(file);
  const labels: GenLabel[] = [];
  let rows = 0;
  let text = `${TRANSACTION_COLUMNS.join(',')}\n`;
  for (let i = 1; i <= opts.accounts; i++) {
    const g = generateCustomer(opts, i);
    for (const row of g.rows)
      if (keep(row)) {
        text += csvLine(row);
        rows += 1;
      }
    labels.push(...g.labels);
    if (text.length > 1 << 20) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end(text);
  await once(out, 'finish');
  return { rows, labels };
}

/** What ingestion left in a database, in a form two databases can be compared by. */
export interface Snapshot {
  transactions: number;
  txnIds: string[];
  /** `customer number|channel` of every lead. */
  leads: string[];
  /** dedup_key of every alert. */
  alerts: string[];
  /** customer number → the engine record in hex. */
  states: Record<string, string>;
}

/** Reads the transactions, leads, alerts and engine records of a database. */
export async function snapshot(db: Db): Promise<Snapshot> {
  const txns = await db.selectFrom('transactions').select('txn_id').orderBy('txn_id').execute();
  const leads = await db
    .selectFrom('leads')
    .innerJoin('customers', 'customers.id', 'leads.customer_id')
    .select(['customers.customer_number', 'leads.channel'])
    .execute();
  const alerts = await db.selectFrom('fund_alerts').select('dedup_key').orderBy('dedup_key').execute();
  const states = await db.selectFrom('analysis_states').select(['customer_number', 'record']).orderBy('customer_number').execute();
  return {
    transactions: txns.length,
    txnIds: txns.map((t) => t.txn_id),
    leads: leads.map((l) => `${l.customer_number}|${l.channel}`).sort(),
    alerts: alerts.map((a) => a.dedup_key),
    states: Object.fromEntries(states.map((s) => [s.customer_number, Buffer.from(s.record).toString('hex')])),
  };
}

/** A database for a child `lifeline` process: its environment, and a handle for the test to read it. */
export interface ChildDatabase {
  env: Record<string, string>;
  open(): Promise<{ db: Db; close(): Promise<void> }>;
}

/**
 * A fresh database of the dialect that a child process can reach through its environment: an
 * SQLite file in `dir`, or a new PostgreSQL schema named in DATABASE_URL's `options`.
 */
export async function childDatabase(dialect: Dialect, dir: string): Promise<ChildDatabase> {
  if (dialect === 'sqlite') {
    const file = path.join(dir, 'lifeline.sqlite');
    return {
      env: { LIFELINE_DATA_DIR: dir },
      async open() {
        const d = openDatabase({ dialect: 'sqlite', file });
        return { db: d.db, close: () => d.close() };
      },
    };
  }
  const fresh = await freshDatabase(dialect, dir);
  await fresh.database.close();
  const schema = fresh.schema ?? '';
  // pg reads `options` from the URL; it replaces the TimeZone setting openDatabase would add.
  const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema} -c TimeZone=UTC`)}`;
  return {
    env: { LIFELINE_DATA_DIR: dir, DATABASE_URL: url },
    async open() {
      const d = openDatabase({ dialect: 'postgres', url: PG_URL, schema });
      return { db: d.db, close: () => d.close() };
    },
  };
}

/**
 * Makes the labelled customers bank customers (illness signals become leads only for them) and
 * gives the fund-safety ones an active case (alerts are only for registered customers), the way
 * the core-banking import and a registration would have left them.
 */
export async function seedBank(env: Record<string, string>, labels: readonly GenLabel[]): Promise<void> {
  const rt = await prepareRuntime(loadConfig({ ...env, LIFELINE_SCRYPT_LOG_N: '10' }), () => undefined);
  try {
    const now = new Date();
    const branchId = await ensureBranch(rt.ctx.db, 'EAST', '城东支行', 'East Branch', now);
    await ensureStaff(
      rt.ctx.db,
      {
        username: 'sup.east',
        displayName: '主管',
        branchId,
        roles: ['supervisor'],
        password: 'long enough password',
        mustChangePassword: false,
      },
      10,
      now,
    );
    const staff = await rt.ctx.db.selectFrom('staff').select('id').executeTakeFirstOrThrow();
    const numbers = [...new Set(labels.map((l) => l.customerNumber))];
    await loadCustomers(
      rt.ctx,
      rt.ctx.db,
      numbers.map((customerNumber) => ({
        customerNumber,
        name: '测试客户',
        gender: 'U',
        dateOfBirth: null,
        nationalId: null,
        phone: null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      })),
    );
    const registered = new Set(labels.filter((l) => l.kind === 'fund_safety').map((l) => l.customerNumber));
    const customers = await rt.ctx.db.selectFrom('customers').select(['id', 'customer_number']).execute();
    let n = 0;
    for (const c of customers) {
      if (!registered.has(c.customer_number)) continue;
      n += 1;
      const id = `fault-case-${n}`;
      await rt.ctx.db
        .insertInto('cases')
        .values({
          id,
          case_number: `CI-2025-${String(n).padStart(6, '0')}`,
          lead_id: `fault-lead-${n}`,
          customer_id: c.id,
          branch_id: branchId,
          channel: 'self_report',
          partner_id: null,
          status: 'active',
          severity: 'high',
          mobility_impaired: 0,
          condition_enc: rt.ctx.cipher.encrypt('{"category":"cancer"}', { table: 'cases', column: 'condition_enc', rowId: id }),
          finances_enc: null,
          corrections_enc: null,
          review_on: '2025-01-01',
          update_interval_days: 30,
          last_update_on: '2025-01-01',
          next_update_due: '2025-01-31',
          maintainer_id: null,
          consent_withdrawn: 0,
          registered_by: staff.id,
          created_at: '2025-01-01T00:00:00.000Z',
          updated_at: '2025-01-01T00:00:00.000Z',
          closed_at: null,
          closed_by: null,
          close_reason: null,
          close_note_enc: null,
          purged_at: null,
          purge_counts: null,
          version: 1,
        })
        .execute();
    }
  } finally {
    await rt.close();
  }
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A `lifeline` child process whose stderr lines the test watches (runCli waits for the end instead). */
export interface CliChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `lifeline ARGS...` with a clean Lifeline environment plus `env`; `onLine` sees each stderr line. */
export function spawnCli(args: string[], env: Record<string, string>, onLine: (line: string) => void = () => undefined): CliChild {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(base))
    if (name.startsWith('LIFELINE_') || name === 'DATABASE_URL' || name === 'NODE_ENV' || name === 'NATS_URL') delete base[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/lifeline.ts', ...args], {
    cwd: ROOT,
    env: { ...base, LIFELINE_LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** The NATS server of the tests (JetStream on). */
export const TEST_NATS_URL = process.env.LIFELINE_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/**
 * Runs a suite that needs NATS. As with PostgreSQL (harness.ts), NATS is required: without it the
 * suite fails, in CI always; only a developer may skip it, loudly, with LIFELINE_SKIP_NATS=1.
 */
export function describeWithNats(name: string, suite: () => void): void {
  if (process.env.LIFELINE_SKIP_NATS === '1' && process.env.CI !== 'true')
    describe.skip(`${name} [NATS: skipped by LIFELINE_SKIP_NATS]`, suite);
  else describe(name, suite);
}
