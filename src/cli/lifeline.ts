import { runCommandLine } from './main.js';

// Kept this small on purpose: what it imports loads before `--version` can answer.
runCommandLine(process.argv.slice(2)).then(
  (code) => {
    // serve answers -1: the process lives on until a signal ends it.
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
