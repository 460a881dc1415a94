// Bundles the server and CLI into dist/cli.js; node_modules stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/lifeline.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
