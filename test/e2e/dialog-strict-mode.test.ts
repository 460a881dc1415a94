import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSuiteEnabled, launchChromium } from './browser.js';

const WEB_SRC = path.resolve(import.meta.dirname, '..', '..', 'web', 'src');

// The shared Dialog inside StrictMode, in a development bundle: the double mount-unmount-mount of
// effects happens only there (the dev server, a build with NODE_ENV other than production).
const ENTRY = `
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Dialog } from './components/Dialog';
import { initI18n } from './i18n/i18n';

initI18n();
const w = window as unknown as { closes: number };
w.closes = 0;

function Host() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" id="open" onClick={() => setOpen(true)}>open</button>
      {open && (
        <Dialog title="strict" onClose={() => { w.closes += 1; setOpen(false); }}>
          <input id="inside" />
        </Dialog>
      )}
    </>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode><Host /></StrictMode>);
`;

describe.runIf(browserSuiteEnabled())('the shared Dialog under StrictMode (issue 10)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, loader: 'tsx', resolveDir: WEB_SRC, sourcefile: 'dialog-host.tsx' },
      bundle: true,
      write: false,
      format: 'iife',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"development"' },
      loader: { '.json': 'json' },
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]?.text ?? '';
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="root"></div></body></html>');
    await page.addScriptTag({ content: script });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const closes = () => page.evaluate('window.closes');

  it('should stay open after StrictMode runs its effects twice, and close once on Escape', async () => {
    await page.locator('#open').click();
    // Whatever closes the dialog by itself does so within a task or two of the mount.
    await page.waitForTimeout(300);
    expect(await closes()).toBe(0);
    const dialog = page.locator('dialog[open]');
    expect(await dialog.count()).toBe(1);
    await page.locator('#inside').fill('typed');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: 5000 });
    expect(await closes()).toBe(1);
  });

  it('should close once by its close button and open again', async () => {
    await page.locator('#open').click();
    await page.waitForTimeout(300);
    const dialog = page.locator('dialog[open]');
    expect(await dialog.count()).toBe(1);
    await dialog.getByRole('button').click({ timeout: 5000 });
    await dialog.waitFor({ state: 'detached', timeout: 5000 });
    expect(await closes()).toBe(2);
  });
});
