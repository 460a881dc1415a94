// What the HTTP benchmarks share: a server in a child process of its own (so that autocannon here
// does not share its event loop), a fixed-rate load, the server's CPU time per request, one line of
// figures per run.
import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';

/** Starts `file` in a child process with `args`; answers the port the child reports over IPC. */
export function startServer(file: string, args: string[]): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_PROFILE=<folder>: a V8 CPU profile of each server, written when it is stopped.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = fork(file, args, { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: (m as { port: number }).port })); // serveChild() sends this shape
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** In the child: reports the listening port, answers 'cpu' with its CPU time and exits on 'stop' (so a profile is written). */
export function serveChild(server: { address(): unknown }): void {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address !== null && 'port' in address ? Number(address.port) : 0 });
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (m === 'stop') process.exit(0);
  });
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => {
      const { cpu } = m as { cpu: NodeJS.CpuUsage }; // serveChild() answers 'cpu' with this shape
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

/** One load: requests rotate through `requests` (path and body) at `rate` requests/s. */
export interface Load {
  method: 'GET' | 'POST';
  requests: { path: string; body?: string }[];
  headers: Record<string, string>;
  rate: number;
  connections: number;
}

function run(port: number, load: Load, seconds: number) {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    method: load.method,
    connections: load.connections,
    overallRate: load.rate,
    duration: seconds,
    headers: { ...(load.method === 'POST' ? { 'content-type': 'application/json' } : {}), ...load.headers },
    requests: [
      {
        setupRequest: (req) => {
          next = (next + 1) % load.requests.length;
          const r = load.requests[next] ?? { path: '/' };
          return { ...req, path: r.path, ...(r.body === undefined ? {} : { body: r.body }) };
        },
      },
    ],
  });
}

/** Warms up for 3 s, measures for `seconds`, stops the server; answers autocannon's result and the server's CPU µs per request. */
export async function measure(child: ChildProcess, port: number, load: Load, seconds: number) {
  await run(port, load, 3);
  const before = await cpuOf(child);
  const result = await run(port, load, seconds);
  const cpu = (await cpuOf(child)) - before;
  await stop(child);
  return { result, cpuMicros: cpu / Math.max(1, result.requests.total) };
}

/** One line of figures. */
export function line(name: string, r: autocannon.Result, cpuMicros: number): string {
  const l = r.latency;
  return `  ${name.padEnd(30)} p50 ${l.p50.toFixed(2)} ms  p90 ${l.p90.toFixed(2)} ms  p99 ${l.p99.toFixed(2)} ms  max ${l.max.toFixed(2)} ms  ${(r.requests.total / r.duration).toFixed(0)} req/s  server CPU ${cpuMicros.toFixed(0)} µs/request  (2xx ${r['2xx']}, other ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})`;
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** Prints Lifeline's figures beside the baseline's and whether the p99 target was met. */
export function report(title: string, rows: readonly [string, Measured][], p99TargetMs: number): void {
  console.log(`\n${title}, ${os.cpus().length} cores`);
  for (const [name, m] of rows) console.log(line(name, m.result, m.cpuMicros));
  const first = rows[0]?.[1];
  const met = first !== undefined && first.result.latency.p99 < p99TargetMs && first.result.non2xx === 0;
  console.log(
    `  target: p99 < ${p99TargetMs} ms — ${met ? 'met' : 'MISSED'} (load average ${os.loadavg()[0]?.toFixed(1)}: other work on the machine counts too)`,
  );
}

/** A demo user signed in on an in-process app: a function sending their requests (throws on a failure). */
export async function signedIn(app: FastifyInstance, username: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  const csrf = res.json<{ csrfToken: string }>().csrfToken;
  return async (method: 'POST' | 'PUT', url: string, payload?: object) => {
    const r = await app.inject({ method, url, payload, headers: { cookie, 'x-csrf-token': csrf } });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json<{ id: string; key: string }>();
  };
}

/**
 * Registers up to `limit` of the customers as cases the way the branch does (the demo teller's lead,
 * the demo supervisor's confirmation and registration); answers the customer numbers and case ids
 * registered. A customer whose lead turns out a duplicate (an earlier lead of theirs) is skipped.
 */
export async function registerCases(app: FastifyInstance, password: string, customerNumbers: readonly string[], limit: number) {
  const teller = await signedIn(app, 'teller.east', password);
  const sup = await signedIn(app, 'sup.east', password);
  const registered: string[] = [];
  const caseIds: string[] = [];
  for (const customerNumber of customerNumbers) {
    if (registered.length >= limit) break;
    const lead = await teller('POST', '/api/v1/leads', { channel: 'self_report', customerNumber, summary: '客户自述确诊' });
    try {
      await sup('POST', `/api/v1/leads/${lead.id}/decision`, {
        decision: 'confirm',
        reason: '核实属实',
        definition: { conditionCategory: 'severe_malignant_tumour', lifeAffected: true, lifeEffect: '无法工作', financesAffected: false },
      });
    } catch {
      continue;
    }
    const c = await sup('POST', '/api/v1/cases', {
      leadId: lead.id,
      condition: { category: 'severe_malignant_tumour', description: '基准测试' },
      mobilityImpaired: false,
      financialImpact: {},
      severity: 'medium',
      reviewOn: '2027-12-01',
      consent: { healthProcessing: { givenAt: '2026-01-01T08:00:00Z', channel: 'paper', evidenceRef: 'BENCH' } },
    });
    registered.push(customerNumber);
    caseIds.push(c.id);
  }
  return { customerNumbers: registered, caseIds };
}
