import { ConfigError } from '../config/config.js';
import { KeyError } from '../platform/crypto/keyring.js';
import { USAGE, main } from './main.js';
import { UsageError } from './usage.js';

main(process.argv.slice(2)).then(
  (code) => {
    // serve answers -1: the process lives on until a signal ends it.
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (err instanceof ConfigError || err instanceof KeyError) {
      console.error(`lifeline: ${err.message}`);
      process.exit(2);
    }
    console.error(err);
    process.exit(1);
  },
);
