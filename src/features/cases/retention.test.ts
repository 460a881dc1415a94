import { describe, expect, it } from 'vitest';
import { ENCRYPTED_COLUMNS } from '../../platform/db/encrypted-columns.js';
import { ALERT_CASE_TEXTS } from '../alerts/alerts.repository.js';
import { COMMUNICATION_CASE_TEXTS } from '../communication/communication.repository.js';
import { CREDIT_CASE_TEXTS } from '../credit/credit.repository.js';
import { LEAD_TEXTS } from '../leads/leads.repository.js';
import { INCIDENT_CASE_TEXTS } from '../procedures/incidents.repository.js';
import { RISK_CASE_TEXTS } from '../risk/risk.repository.js';
import { SERVICE_CASE_TEXTS, SERVICE_REQUEST_TEXTS } from '../services/services.repository.js';
import { WORK_CASE_TEXTS } from '../work/work.repository.js';

// What retention.service.ts asks each feature to clear with the case.
const CASE_LINKED_TEXTS = [
  ...WORK_CASE_TEXTS,
  ...COMMUNICATION_CASE_TEXTS,
  ...ALERT_CASE_TEXTS,
  ...LEAD_TEXTS,
  ...SERVICE_CASE_TEXTS,
  ...SERVICE_REQUEST_TEXTS,
  ...CREDIT_CASE_TEXTS,
  ...INCIDENT_CASE_TEXTS,
  ...RISK_CASE_TEXTS,
];

// Cleared by the purge of the case itself (its row, versions and consents).
const THE_CASE_ITSELF = new Set(['cases', 'case_versions', 'case_consents']);
// Not about one case: the bank's customer master data, staff secrets, partner keys.
const NOT_ABOUT_A_CASE = new Set(['customers', 'staff', 'partner_keys']);

describe('retention of the texts linked to a case', () => {
  it('should account for every encrypted column: cleared with the case, listed as linked, or not about a case', () => {
    const linked = new Set(CASE_LINKED_TEXTS.map((t) => `${t.table}.${t.column}`));
    const unaccounted = ENCRYPTED_COLUMNS.filter(
      (c) => !THE_CASE_ITSELF.has(c.table) && !NOT_ABOUT_A_CASE.has(c.table) && !linked.has(`${c.table}.${c.column}`),
    ).map((c) => `${c.table}.${c.column}`);
    expect(unaccounted).toEqual([]);
  });

  it('should list only columns that are encrypted', () => {
    const encrypted = new Set(ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    for (const t of CASE_LINKED_TEXTS) expect(encrypted.has(`${t.table}.${t.column}`), `${t.table}.${t.column}`).toBe(true);
  });
});
