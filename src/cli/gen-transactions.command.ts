import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { TRANSACTION_COLUMNS } from '../domain/analysis/transaction.js';
import { camt053Footer, camt053Header, camt053Statements } from '../features/analysis/camt053-writer.js';
import { GEN_END_DATE, csvLine, generateCustomer, ndjsonLine } from '../features/analysis/generator.js';
import { parseCommandLine, UsageError } from './usage.js';

const FLUSH_CHARS = 1 << 20;

/** Writes text to a stream, waiting when the stream asks (constant memory). */
async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise((resolve) => out.once('drain', resolve));
}

/** `lifeline gen-transactions --accounts N --days D [--seed S] [--rate R] [--out FILE] [--labels FILE] [--format csv|ndjson|camt053]`. */
export async function genTransactionsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine({
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
  const format = values.format ?? (values.out?.match(/\.(nd)?jsonl?$/i) ? 'ndjson' : values.out?.match(/\.xml$/i) ? 'camt053' : 'csv');
  if (!Number.isInteger(accounts) || accounts < 1 || !Number.isInteger(days) || days < 1 || days > 3650 || !Number.isInteger(seed))
    throw new UsageError('gen-transactions needs --accounts N and --days D (whole numbers, D at most 3650); --seed takes a whole number');
  if (!(rate >= 0 && rate <= 100)) throw new UsageError('--rate takes a number of everyday purchases per account and day, 0–100');
  if (format !== 'csv' && format !== 'ndjson' && format !== 'camt053') throw new UsageError('--format is csv, ndjson or camt053');
  const out: Writable = values.out && values.out !== '-' ? createWriteStream(values.out) : process.stdout;
  const labels: Writable | null = values.labels ? createWriteStream(values.labels) : null;
  // camt.053: one statement per account, all in one document (the reader streams it).
  const createdAt = `${GEN_END_DATE}T23:59:59Z`;
  const customerText = (rows: Parameters<typeof csvLine>[0][]) =>
    format === 'camt053' ? camt053Statements(rows, createdAt) : rows.map(format === 'csv' ? csvLine : ndjsonLine).join('');
  let text = format === 'csv' ? `${TRANSACTION_COLUMNS.join(',')}\n` : format === 'camt053' ? camt053Header(`GEN-${seed}`, createdAt) : '';
  let labelText = '';
  let rows = 0;
  const started = Date.now();
  for (let i = 1; i <= accounts; i++) {
    const generated = generateCustomer({ accounts, days, seed, rate }, i);
    text += customerText(generated.rows);
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
  await put(out, format === 'camt053' ? text + camt053Footer() : text);
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
