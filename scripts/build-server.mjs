// Bundles the server and CLI into dist/cli.js; node_modules stay external.
// Usage: node scripts/build-server.mjs [OUTDIR]   (default dist)
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = process.argv[2] ?? 'dist';
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunks are named by content: the ones of an earlier build would pile up.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/lifeline.ts' },
  outdir,
  bundle: true,
  // Each command's modules (and the packages they import) go into chunks loaded when the command
  // runs, so `lifeline --version` and `--help` load almost nothing (src/cli/main.ts).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  define: { LIFELINE_VERSION: JSON.stringify(version) },
  sourcemap: true,
  logLevel: 'warning',
});
