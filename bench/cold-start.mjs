// Time from a fresh clone's `npm install && npm start` to the first answer of /api/health,
// split into install, build and start-up (migrations, key file, demo seed). The npm cache is
// whatever this machine has: the figure is for a developer's machine, not a first-ever download.
// Usage: node bench/cold-start.mjs [PORT]
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.argv[2] ?? 3999);
const dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cold-'));
const repo = path.resolve(import.meta.dirname, '..');
execSync(`git clone -q "${repo}" "${dir}"`);
const t0 = performance.now();
execSync('npm install --no-audit --no-fund --loglevel=error', { cwd: dir, stdio: 'inherit' });
const tInstalled = performance.now();
const server = spawn('npm', ['start'], {
  cwd: dir,
  env: { ...process.env, PORT: String(port), LIFELINE_INSECURE_COOKIES: '1', LIFELINE_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'pipe'],
  detached: true,
});
let stderr = '';
server.stderr.on('data', (d) => {
  stderr += d;
});
let tHealthy = 0;
for (let i = 0; i < 1200 && !tHealthy; i++) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/health`);
    if (r.ok) tHealthy = performance.now();
  } catch {
    await new Promise((res) => setTimeout(res, 100));
  }
}
process.kill(-server.pid, 'SIGTERM');
const listening = stderr.includes('listening');
console.log(`npm install:                    ${((tInstalled - t0) / 1000).toFixed(1)} s`);
console.log(
  `npm start → first /api/health:  ${tHealthy ? ((tHealthy - tInstalled) / 1000).toFixed(1) : 'never'} s (build, migrate, keys, demo seed, listen)`,
);
console.log(
  `total:                          ${tHealthy ? ((tHealthy - t0) / 1000).toFixed(1) : 'never'} s${listening ? '' : `\n${stderr}`}`,
);
rmSync(dir, { recursive: true, force: true });
