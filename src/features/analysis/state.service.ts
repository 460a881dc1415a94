import type { Executor } from '../../platform/db/database.js';
import { clearStateRecords, loadStateRecords, saveStateRecords } from './state.repository.js';

// The engine's state per customer (docs/analysis.md): a bounded record each, so a day's file needs only the new day.

/** The stored engine records of these customers, by customer number (absent: never seen). */
export async function loadEngineStates(db: Executor, customerNumbers: readonly string[]): Promise<Map<string, Uint8Array>> {
  return loadStateRecords(db, customerNumbers);
}

/** Writes the engine records of customers (insert or replace). */
export async function saveEngineStates(
  db: Executor,
  records: readonly { customerNumber: string; record: Uint8Array }[],
  at: string,
): Promise<void> {
  await saveStateRecords(db, records, at);
}

/** Forgets every customer's engine state (before a rebuild). */
export async function clearEngineStates(db: Executor): Promise<void> {
  await clearStateRecords(db);
}
