import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserSuiteEnabled, ensureWebBuilt, isDevelopmentBundle } from './browser.js';

const ASSETS = path.resolve(import.meta.dirname, '..', '..', 'web', 'dist', 'assets');

describe.runIf(browserSuiteEnabled())('the web app the browser suites test (issue 10)', () => {
  it('should be a production build, as users get it, even when built from inside vitest', () => {
    ensureWebBuilt();
    const scripts = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const development = scripts.filter((f) => isDevelopmentBundle(readFileSync(path.join(ASSETS, f), 'utf8')));
    expect(development).toEqual([]);
  }, 180_000);
});
