import { type Monitoring, monitoringOf, type SensitivityLevel } from '../../domain/risk-assessment.js';
import type { Executor } from '../../platform/db/database.js';
import { deleteMonitoring, monitoringRows, upsertMonitoring } from './monitoring.repository.js';

// The stronger monitoring in force per customer (P7.2.2, docs/risk.md). The risk feature sets it
// from a case's assessment; the engine (ingestion) and the real-time decisions read it. It lives
// here, in the feature both of them already use, so that neither has to depend on the risk feature.

/** The stronger monitoring of these customers, by customer number (absent: the rule set's own thresholds). */
export async function monitoringFor(db: Executor, customerNumbers: readonly string[]): Promise<Map<string, Monitoring>> {
  const out = new Map<string, Monitoring>();
  if (customerNumbers.length === 0) return out;
  for (const r of await monitoringRows(db, customerNumbers)) {
    const m = monitoringOf(r.level);
    if (m) out.set(r.customer_number, m);
  }
  return out;
}

/** Sets a customer's sensitivity, in the caller's transaction: `normal` ends the stronger monitoring. Effective from the next transaction judged. */
export async function setMonitoring(
  db: Executor,
  input: { customerNumber: string; level: SensitivityLevel; caseId: string; by: string; at: string },
): Promise<void> {
  if (input.level === 'normal') {
    await deleteMonitoring(db, input.customerNumber);
    return;
  }
  await upsertMonitoring(db, {
    customer_number: input.customerNumber,
    level: input.level,
    case_id: input.caseId,
    set_by: input.by,
    set_at: input.at,
  });
}
