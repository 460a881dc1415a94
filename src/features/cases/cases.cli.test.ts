import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/cli/run-cli.js';
import { loadConfig } from '../../config/config.js';
import { openDatabase } from '../../platform/db/database.js';
import { prepareRuntime } from '../../server.js';
import { loadCustomers } from '../customers/customers.service.js';
import { ensureBranch, ensureStaff } from '../staff/bootstrap.service.js';

describe('lifeline retention run', () => {
  let dir: string;

  /** A case closed at `closedAt`, written straight into the database as the API would leave it. */
  async function closedCase(id: string, closedAt: string): Promise<void> {
    const rt = await prepareRuntime(loadConfig({ LIFELINE_DATA_DIR: dir, LIFELINE_SCRYPT_LOG_N: '10' }), () => undefined);
    try {
      const now = new Date();
      const branchId = await ensureBranch(rt.ctx.db, 'EAST', '城东支行', 'East Branch', now);
      await ensureStaff(
        rt.ctx.db,
        {
          username: 'sup.east',
          displayName: '主管',
          branchId,
          roles: ['supervisor'],
          password: 'long enough password',
          mustChangePassword: false,
        },
        10,
        now,
      );
      const staff = await rt.ctx.db.selectFrom('staff').select('id').executeTakeFirstOrThrow();
      await loadCustomers(rt.ctx, rt.ctx.db, [
        {
          customerNumber: `T${id}`,
          name: '测试',
          gender: 'F',
          dateOfBirth: null,
          nationalId: null,
          phone: null,
          address: null,
          branchCode: 'EAST',
          segment: 'mass',
          openedOn: null,
        },
      ]);
      const customer = await rt.ctx.db
        .selectFrom('customers')
        .select('id')
        .where('customer_number', '=', `T${id}`)
        .executeTakeFirstOrThrow();
      const seal = (column: string) => rt.ctx.cipher.encrypt('{"category":"deep_coma"}', { table: 'cases', column, rowId: id });
      await rt.ctx.db
        .insertInto('cases')
        .values({
          id,
          case_number: `CI-2020-${id.padStart(6, '0')}`,
          lead_id: `lead-${id}`,
          customer_id: customer.id,
          branch_id: branchId,
          channel: 'self_report',
          partner_id: null,
          status: 'closed',
          severity: 'high',
          mobility_impaired: 0,
          condition_enc: seal('condition_enc'),
          finances_enc: null,
          corrections_enc: null,
          review_on: '2020-02-01',
          update_interval_days: 30,
          last_update_on: '2020-01-01',
          next_update_due: '2020-01-31',
          maintainer_id: null,
          consent_withdrawn: 0,
          registered_by: staff.id,
          created_at: '2020-01-01T00:00:00.000Z',
          updated_at: closedAt,
          closed_at: closedAt,
          closed_by: staff.id,
          close_reason: 'recovered',
          close_note_enc: null,
          purged_at: null,
          purge_counts: null,
          version: 2,
        })
        .execute();
    } finally {
      await rt.close();
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-cli-retention-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should purge cases closed longer ago than the period, print the counts and keep the rest', async () => {
    const old = new Date(Date.now() - 6 * 365 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 365 * 86_400_000).toISOString();
    await closedCase('1', old);
    await closedCase('2', recent);
    const run = await runCli(['retention', 'run'], { LIFELINE_DATA_DIR: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ purged: 1, counts: { caseFields: 1 } });
    const database = openDatabase({ dialect: 'sqlite', file: path.join(dir, 'lifeline.sqlite') });
    try {
      const rows = await database.db.selectFrom('cases').select(['id', 'status', 'condition_enc']).orderBy('id').execute();
      expect(rows).toMatchObject([
        { id: '1', status: 'purged', condition_enc: null },
        { id: '2', status: 'closed' },
      ]);
      expect(await database.db.selectFrom('audit_events').select('target_id').where('action', '=', 'case.purged').execute()).toEqual([
        { target_id: '1' },
      ]);
    } finally {
      await database.close();
    }
  });

  it('should refuse anything but run', async () => {
    const run = await runCli(['retention', 'now'], { LIFELINE_DATA_DIR: dir });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('retention takes: run');
  });
});
