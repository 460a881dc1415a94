#!/usr/bin/env node
// The `lifeline` command: runs the built CLI (npm run build makes dist/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(built)) {
  console.error('lifeline: not built yet; run `npm run build` (npm start does it for you)');
  process.exit(2);
}
await import(built);
