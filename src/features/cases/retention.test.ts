import { describe, expect, it } from 'vitest';
import { ENCRYPTED_COLUMNS } from '../../platform/db/encrypted-columns.js';
import { CASE_LINKED_TEXTS } from './retention.repository.js';

// Cleared by purgeCaseRows itself, with the case.
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
