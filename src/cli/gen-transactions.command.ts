import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { TRANSACTION_COLUMNS } from '../domain/analysis/transaction.js';
import { csvLine, generateCustomer, ndjsonLine } from '../features/analysis/generator.js';
import { UsageError } from './usage.js';

const FLUSH_CHARS = 1 << 20;

/** Writes text to a stream, waiting when the stream asks (constant memory). */
async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
}

/** `lifeline gen-transactions --accounts N --days D [--seed S] [--rate R] [--out FILE] [--labels FILE] [--format csv|ndjson]`. */
export async function genTransactionsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      accounts: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      out: { type: 'string' },
      labels: { type: 'string' },
      format: { type: 'string' },
    },
  });
  const accounts = Number(values.accounts);
  const days = Number(values.days);
  const seed = Number(values.seed ?? 1);
  const rate = Number(values.rate ?? 1);
  const format = values.format ?? (values.out?.match(/\.(nd)?jsonl?$/i) ? 'ndjson' : 'csv');
  if (!Number.isInteger(accounts) || accounts < 1 || !Number.isInteger(days) || days < 1 || days > 3650 || !Number.isInteger(seed))
    throw new UsageError('gen-transactions needs --accounts N and --days D (whole numbers, D at most 3650); --seed takes a whole number');
  if (!(rate >= 0 && rate <= 100)) throw new UsageError('--rate takes a number of everyday purchases per account and day, 0–100');
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError('--format is csv or ndjson');
  const out: Writable = values.out && values.out !== '-' ? createWriteStream(values.out) : process.stdout;
  const labels: Writable | null = values.labels ? createWriteStream(values.labels) : null;
  const line = format === 'csv' ? csvLine : ndjsonLine;
  let text = format === 'csv' ? `${TRANSACTION_COLUMNS.join(',')}\n` : '';
  let labelText = '';
  let rows = 0;
  const started = Date.now();
  for (let i = 1; i <= accounts; i++) {
    const generated = generateCustomer({ accounts, days, seed, rate }, i);
    for (const row of generated.rows) text += line(row);
    rows += generated.rows.length;
    for (const l of generated.labels) labelText += `${JSON.stringify(l)}\n`;
    if (text.length > FLUSH_CHARS) {
      await put(out, text);
      text = '';
    }
    if (labels && labelText.length > FLUSH_CHARS) {
      await put(labels, labelText);
      labelText = '';
    }
    if (i % 100_000 === 0) process.stderr.write(`accounts ${i}/${accounts}, rows ${rows}\n`);
  }
  await put(out, text);
  if (labels) {
    await put(labels, labelText);
    await new Promise((resolve) => labels.end(resolve));
  }
  if (out !== process.stdout) await new Promise((resolve) => out.end(resolve));
  console.error(
    `generated ${rows} transactions for ${accounts} accounts over ${days} days (seed ${seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return 0;
}
