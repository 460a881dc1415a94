import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.LIFELINE_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.CI === 'true' || process.env.LIFELINE_REQUIRE_BROWSER === '1';

/** Whether the browser suite runs: always in CI (where a missing Chromium fails it), else unless skipped. */
export function browserSuiteEnabled(): boolean {
  if (REQUIRED) return true;
  if (process.env.LIFELINE_SKIP_BROWSER === '1') {
    console.warn('browser suite skipped: LIFELINE_SKIP_BROWSER=1');
    return false;
  }
  return true;
}

/** Builds the web app when web/dist is missing, so `npm test` works right after `npm install`. */
export function ensureWebBuilt(): void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  if (existsSync(path.join(root, 'web', 'dist', 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set LIFELINE_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots go: kept as CI artifacts. */
export const SCREENSHOTS = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');
