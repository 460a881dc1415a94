import { loadConfig } from '../config/config.js';
import { createKeyFile, generateKeys, keysToText } from '../platform/crypto/keyring.js';
import { keyStatus, rotateKeys } from '../platform/crypto/rotation.js';
import { prepareRuntime } from '../server.js';
import { parseCommandLine, UsageError } from './usage.js';

/** `lifeline keys init|status|rotate` (docs/operations-keys.md). */
export async function keysCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'init': {
      const { values } = parseCommandLine({ args: rest, options: { write: { type: 'boolean' }, force: { type: 'boolean' } } });
      const keys = generateKeys();
      if (!values.write) {
        process.stdout.write(keysToText(keys));
        return 0;
      }
      const { file } = loadConfig().keys;
      createKeyFile(file, keys, values.force === true);
      console.error(`wrote a new key file (mode 0600) to ${file}; back it up apart from the database`);
      return 0;
    }
    case 'status': {
      parseCommandLine({ args: rest, options: {} });
      const rt = await prepareRuntime(loadConfig());
      try {
        console.log(JSON.stringify(await keyStatus(rt.ctx.db, rt.ctx.cipher), null, 2));
        return 0;
      } finally {
        await rt.close();
      }
    }
    case 'rotate': {
      const { values } = parseCommandLine({ args: rest, options: { batch: { type: 'string' } } });
      const batchSize = Number(values.batch ?? 500);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
        throw new UsageError('--batch takes a whole number from 1 to 10000');
      const config = loadConfig();
      const rt = await prepareRuntime(config);
      const stop = new AbortController();
      const onSignal = () => {
        console.error('stopping after this batch; run `lifeline keys rotate` again to finish');
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const report = await rotateKeys(rt.ctx.db, config.keys, {
          batchSize,
          signal: stop.signal,
          onProgress: (p) => console.error(`${p.table}.${p.column}: ${p.done}/${p.total}`),
        });
        console.log(JSON.stringify(report, null, 2));
        const failed = report.columns.reduce((n, c) => n + c.failed.length, 0);
        if (failed > 0)
          console.error(`${failed} value(s) could not be decrypted with any key of the key file; their row ids are listed above`);
        return report.completed && failed === 0 ? 0 : 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await rt.close();
      }
    }
    default:
      throw new UsageError(
        sub?.startsWith('-') ? `unknown option ${sub}` : 'keys takes: init [--write [--force]] | status | rotate [--batch N]',
      );
  }
}
