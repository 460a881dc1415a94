import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { makeCustomer, makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import type { Transaction } from '../../domain/analysis/transaction.js';
import { newId } from '../../platform/crypto/ids.js';
import { correctStoredRows } from '../../platform/db/migrations/0011_structured_texts.js';
import type { CaseTeamMemberTable } from '../../platform/db/tables/case-access.js';
import { runOutboxOnce } from '../../platform/jobs/outbox.js';
import { enqueueSms, httpSmsTransport } from '../../platform/jobs/sms.js';
import { loadCustomers } from '../customers/customers.service.js';
import { activeRuleSet } from '../rules/rules.service.js';
import { ingestTransactions } from '../ingestion/ingest.service.js';
import { smsPhoneLookup } from '../customers/customers.service.js';

const DAY_MS = 86_400_000;
const RESOLUTION_NOTE = '客户确认被冒充公检法诈骗，已冻结账户并报警';

interface AlertSummary {
  id: string;
  status: string;
  score: number;
  ruleIds: string[];
  transaction: { id: string; amountMinor: number };
  case: { id: string };
  overdue: boolean;
  version: number;
}
interface AlertView extends AlertSummary {
  rules: { id: string; description: string; detail: string; evidence: string[]; weight: number }[];
  outflows: { id: string; flagged: boolean; amountMinor: number }[];
  flagged: { id: string; counterpartyAccount: string | null };
  contact: { attempts: number; outcome: string | null; note?: string | null };
  resolutionDetail: { note?: string | null };
  canWork: boolean;
  notesVisible: boolean;
}

type Who = 'sup' | 'cm' | 'risk' | 'cmOther' | 'cmWest' | 'inspector' | 'teller';

describeEachDialect('fund-safety alerts and analysis leads', (dialect) => {
  let h: Harness;
  const people = {} as Record<Who, Awaited<ReturnType<typeof makeStaff>>>; // filled in beforeAll
  const s = {} as Record<Who, Session>; // filled in beforeAll
  let seq = 0;
  let customerSeq = 0;

  /** A transaction of the customer; a card purchase of ¥100 unless told otherwise. */
  function txn(customerNumber: string, over: Partial<Transaction> & { bookedAt: string }): Transaction {
    seq += 1;
    return {
      txnId: `T${process.pid}-${dialect}-${seq}`,
      accountId: `A-${customerNumber}`,
      customerNumber,
      amountMinor: 10_000,
      currency: 'CNY',
      direction: 'debit',
      channel: 'card',
      counterpartyName: '华联超市',
      counterpartyAccount: '',
      mcc: '5411',
      description: '',
      ...over,
      atMs: Date.parse(over.bookedAt),
    };
  }

  /** A critical-illness insurance payout: its rule alone reaches the illness threshold. */
  const payout = (customerNumber: string, bookedAt: string) =>
    txn(customerNumber, {
      bookedAt,
      direction: 'credit',
      channel: 'transfer',
      amountMinor: 1_500_000,
      counterpartyName: '平安人寿保险股份有限公司',
      counterpartyAccount: 'INS-001',
      mcc: '',
      description: '重疾险理赔款',
    });

  /** Ten small card payments, then a ¥50,000 transfer to a payee never paid before. */
  function fraudPattern(customerNumber: string): { history: Transaction[]; flagged: Transaction } {
    const history = Array.from({ length: 10 }, (_, i) =>
      txn(customerNumber, { bookedAt: `2026-11-${String(i + 1).padStart(2, '0')}T04:00:00.000Z` }),
    );
    const flagged = txn(customerNumber, {
      bookedAt: '2026-11-20T03:00:00.000Z',
      channel: 'transfer',
      amountMinor: 5_000_000,
      counterpartyName: '李某',
      counterpartyAccount: 'NEW-PAYEE-9',
      mcc: '',
      description: '转账',
    });
    return { history, flagged };
  }

  async function ingest(txns: Transaction[]) {
    const rules = await activeRuleSet(h.db);
    return h.db.transaction().execute((trx) => ingestTransactions(h.ctx, trx, txns, { rules, batchId: null }));
  }

  const leadsOf = (customerId: string) =>
    h.db.selectFrom('leads').selectAll().where('customer_id', '=', customerId).orderBy('created_at').orderBy('id').execute();
  const suppressions = (customerId: string) =>
    h.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', '=', 'analysis.lead_suppressed')
      .where('target_id', '=', customerId)
      .execute()
      .then((rows) => rows.map((r) => (JSON.parse(r.detail) as { reason: string }).reason));

  /** A registered EAST case (lead by a teller, confirmed and registered by the supervisor), with cm and risk on its team. */
  async function registered(opts: { phone?: string } = {}): Promise<{ caseId: string; customerId: string; customerNumber: string }> {
    customerSeq += 1;
    const customerNumber = `AL${process.pid % 10000}${String(customerSeq).padStart(4, '0')}`;
    await loadCustomers(h.ctx, h.db, [
      {
        customerNumber,
        name: `预警客户${customerSeq}`,
        gender: 'F',
        dateOfBirth: '1960-01-01',
        nationalId: null,
        phone: opts.phone ?? null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      },
    ]);
    const c = await registerCaseViaApi({ teller: s.teller, supervisor: s.sup }, customerNumber, h.clock.now());
    const caseId = c.id;
    const team: [Who, CaseTeamMemberTable['role']][] = [
      ['cm', 'customer_manager'],
      ['risk', 'risk_officer'],
    ];
    for (const [who, role] of team) {
      await h.db
        .insertInto('case_team_members')
        .values({
          id: newId(),
          case_id: caseId,
          staff_id: people[who].id,
          role,
          is_primary: role === 'customer_manager' ? 1 : 0,
          assigned_at: h.clock.now().toISOString(),
          assigned_by: people.sup.id,
          removed_at: null,
          removed_by: null,
        })
        .execute();
    }
    const customer = await h.db
      .selectFrom('customers')
      .select('id')
      .where('customer_number', '=', customerNumber)
      .executeTakeFirstOrThrow();
    return { caseId, customerId: customer.id, customerNumber };
  }

  beforeAll(async () => {
    // The workflow test moves the clock by hours; sessions must outlive it.
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '1440', LIFELINE_SESSION_ABSOLUTE_HOURS: '72' });
    const make = async (who: Who, roles: Parameters<typeof makeStaff>[1]['roles'], branch: 'EAST' | 'WEST' | 'HQ' = 'EAST') => {
      people[who] = await makeStaff(h, { roles, branch, username: `${who.toLowerCase()}.alerts` });
      s[who] = await signIn(h, people[who]);
    };
    await make('sup', ['supervisor']);
    await make('cm', ['customer_manager']);
    await make('risk', ['risk_officer']);
    await make('cmOther', ['customer_manager']);
    await make('cmWest', ['customer_manager'], 'WEST');
    await make('inspector', ['inspector'], 'HQ');
    await make('teller', ['staff']);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('illness signals', () => {
    it('should make a lead with channel analysis that carries the score, the rule, its facts and its evidence as data', async () => {
      const c = await makeCustomer(h);
      const t = payout(c.customerNumber, '2026-11-25T02:00:00.000Z');
      const out = await ingest([t]);
      expect(out.leads).toBe(1);
      const leads = await leadsOf(c.id);
      expect(leads).toHaveLength(1);
      expect(leads[0]?.channel).toBe('analysis');
      expect(leads[0]?.status).toBe('new');
      const view = await s.sup.request({ method: 'GET', url: `/api/v1/leads/${leads[0]?.id}` });
      expect(view.statusCode, view.body).toBe(200);
      const lead = view.json<{ summary: string; analysis: unknown; reportedCustomerNumber: string | null }>();
      expect(lead.summary).toContain('score 60');
      expect(lead.summary).toContain('ci_insurance_payout');
      expect(lead.reportedCustomerNumber).toBe(c.customerNumber);
      expect(lead.analysis).toEqual({
        score: 60,
        threshold: 50,
        ruleSetVersion: expect.any(String),
        rules: [
          {
            id: 'ci_insurance_payout',
            weight: 60,
            facts: {
              key: 'ci_insurance_payout',
              values: { amountMinor: 1_500_000, insurer: '平安人寿保险股份有限公司', description: '重疾险理赔款' },
            },
            transactions: [
              {
                id: t.txnId,
                bookedAt: '2026-11-25T02:00:00.000Z',
                direction: 'credit',
                amountMinor: 1_500_000,
                currency: 'CNY',
                counterpartyName: '平安人寿保险股份有限公司',
              },
            ],
          },
        ],
      });
      // Encrypted at rest, like the summary it explains.
      expect(leads[0]?.analysis_enc).toMatch(/^enc:v\d+:/);
      const created = await h.db
        .selectFrom('audit_events')
        .select('actor_username')
        .where('action', '=', 'lead.created')
        .where('target_id', '=', leads[0]?.id ?? '')
        .executeTakeFirstOrThrow();
      expect(created.actor_username).toBe('system:analysis');
    });

    it('should make no second lead on a replay or on a new finding while the lead is open', async () => {
      const c = await makeCustomer(h);
      const first = payout(c.customerNumber, '2026-11-20T02:00:00.000Z');
      await ingest([first]);
      const replay = await ingest([first]);
      expect(replay).toMatchObject({ inserted: 0, leads: 0 });
      const again = await ingest([payout(c.customerNumber, '2026-11-26T02:00:00.000Z')]);
      expect(again).toMatchObject({ inserted: 1, leads: 0 });
      expect(await leadsOf(c.id)).toHaveLength(1);
      expect(await suppressions(c.id)).toEqual(['open_lead']);
    });

    it('should suppress leads after a rejection, and make one again once the suppression window has passed', async () => {
      const c = await makeCustomer(h);
      await ingest([payout(c.customerNumber, '2026-11-20T02:00:00.000Z')]);
      const [lead] = await leadsOf(c.id);
      const reject = await s.sup.request({
        method: 'POST',
        url: `/api/v1/leads/${lead?.id}/decision`,
        payload: { decision: 'reject', reason: '客户为他人代收理赔款' },
      });
      expect(reject.statusCode, reject.body).toBe(200);
      const soon = await ingest([payout(c.customerNumber, '2026-11-27T02:00:00.000Z')]);
      expect(soon.leads).toBe(0);
      expect(await suppressions(c.id)).toEqual(['recently_rejected']);

      const before = h.clock.now();
      try {
        h.clock.advance(91 * DAY_MS);
        const later = await ingest([payout(c.customerNumber, new Date(h.clock.now().getTime() - DAY_MS).toISOString())]);
        expect(later.leads).toBe(1);
        expect((await leadsOf(c.id)).map((l) => l.status)).toEqual(['rejected', 'new']);
      } finally {
        h.clock.set(before.toISOString());
      }
    });

    it('should make no lead for a customer with an active case, nor for a customer number the bank does not know', async () => {
      const r = await registered();
      const before = (await leadsOf(r.customerId)).length;
      expect((await ingest([payout(r.customerNumber, '2026-11-25T02:00:00.000Z')])).leads).toBe(0);
      expect(await leadsOf(r.customerId)).toHaveLength(before);
      expect(await suppressions(r.customerId)).toEqual(['active_case']);

      const unknown = `ZZ${process.pid}${dialect}`;
      expect((await ingest([payout(unknown, '2026-11-25T02:00:00.000Z')])).leads).toBe(0);
      const skipped = await h.db.selectFrom('audit_events').select('detail').where('action', '=', 'analysis.lead_suppressed').execute();
      expect(skipped.some((e) => e.detail.includes('unknown_customer') && e.detail.includes(unknown))).toBe(true);
    });
  });

  describe('fund-safety alerts', () => {
    it('P3.2.3 should raise one alert per flagged transaction for a registered customer, with its rules, and never twice', async () => {
      const r = await registered();
      const { history, flagged } = fraudPattern(r.customerNumber);
      const out = await ingest([...history, flagged]);
      expect(out.alerts).toBe(1);
      const alerts = await h.db.selectFrom('fund_alerts').selectAll().where('case_id', '=', r.caseId).execute();
      expect(alerts).toHaveLength(1);
      const a = alerts[0];
      expect(a?.flagged_txn_id).toBe(flagged.txnId);
      expect(a?.dedup_key).toBe(flagged.txnId);
      expect(Number(a?.flagged_amount_minor)).toBe(5_000_000);
      expect(a?.status).toBe('open');
      const ruleIds = (JSON.parse(a?.rules ?? '[]') as { id: string }[]).map((x) => x.id).sort();
      expect(ruleIds).toEqual(['new_payee_large', 'outflow_above_baseline']);
      expect(a?.score).toBe(100);
      // The primary customer manager's task to call the customer, due today.
      const task = await h.db
        .selectFrom('work_tasks')
        .selectAll()
        .where('id', '=', a?.contact_task_id ?? '')
        .executeTakeFirstOrThrow();
      // A kind the pages name in the reader's language, not a title with the alert's id in it (issue 10).
      expect(task).toMatchObject({
        case_id: r.caseId,
        assignee_id: people.cm.id,
        kind: 'alert_contact',
        title: null,
        status: 'open',
        created_by: null,
      });
      // The rules stored are about the flagged transaction alone, with their facts as data.
      for (const rule of JSON.parse(a?.rules ?? '[]') as { evidence: string[]; facts: { key: string } }[]) {
        expect(rule.evidence).toEqual([flagged.txnId]);
        expect(rule.facts.key).toMatch(/^(new_payee_large|outflow_above_baseline)$/);
      }
      expect(task.due_on).toBe(h.clock.now().toISOString().slice(0, 10));

      // Replays, whole or in other chunks, raise nothing more.
      expect((await ingest([...history, flagged])).alerts).toBe(0);
      expect((await ingest([flagged])).alerts).toBe(0);
      expect(await h.db.selectFrom('fund_alerts').select('id').where('case_id', '=', r.caseId).execute()).toHaveLength(1);
    });

    it('should raise no alert for a customer without a registered case', async () => {
      const c = await makeCustomer(h);
      const { history, flagged } = fraudPattern(c.customerNumber);
      expect((await ingest([...history, flagged])).alerts).toBe(0);
      expect(await h.db.selectFrom('fund_alerts').select('id').where('customer_id', '=', c.id).execute()).toHaveLength(0);
    });

    it('should write an SMS to the outbox holding the customer and a text without phone, amount or illness', async () => {
      const r = await registered({ phone: '13912345678' });
      const { history, flagged } = fraudPattern(r.customerNumber);
      await ingest([...history, flagged]);
      const raised = await h.db
        .selectFrom('audit_events')
        .select(['detail', 'actor_username'])
        .where('action', '=', 'alert.raised')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      const detail = JSON.parse(raised.detail) as { smsId: string; txnId: string };
      expect(raised.actor_username).toBe('system:analysis');
      expect(detail.txnId).toBe(flagged.txnId);
      const row = await h.db.selectFrom('outbox').selectAll().where('id', '=', detail.smsId).executeTakeFirstOrThrow();
      expect(row.kind).toBe('sms');
      // No gateway configured in tests: kept, not sent.
      expect(row.status).toBe('skipped');
      const payload = JSON.parse(row.payload) as Record<string, unknown>;
      expect(Object.keys(payload).sort()).toEqual(['customerId', 'text']);
      expect(payload.customerId).toBe(r.customerId);
      expect(row.payload).not.toContain('13912345678');
      expect(row.payload).not.toContain('50000');
      expect(row.payload).not.toContain('肺癌');
      expect(String(payload.text)).toContain('【XX银行】');
    });
  });

  describe('the alert workflow', () => {
    let caseId: string;
    let alertId: string;
    let raisedAt: number;

    beforeAll(async () => {
      const r = await registered();
      caseId = r.caseId;
      const { history, flagged } = fraudPattern(r.customerNumber);
      // A moment of its own, so that the metrics window holds this alert alone.
      h.clock.advance(2 * 3_600_000);
      raisedAt = h.clock.now().getTime();
      await ingest([...history, flagged]);
      const a = await h.db.selectFrom('fund_alerts').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
      alertId = a.id;
    });

    it('should list the alert for the case team and the branch supervisor, and for inspectors, but not for others', async () => {
      const inList = async (who: Who) => {
        const res = await s[who].request({ method: 'GET', url: '/api/v1/alerts?limit=500' });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<{ items: AlertSummary[] }>().items.some((i) => i.id === alertId);
      };
      expect(await inList('cm')).toBe(true);
      expect(await inList('risk')).toBe(true);
      expect(await inList('sup')).toBe(true);
      expect(await inList('inspector')).toBe(true);
      expect(await inList('cmOther')).toBe(false);
      expect(await inList('cmWest')).toBe(false);
      expectProblem(await s.teller.request({ method: 'GET', url: '/api/v1/alerts' }), 'FORBIDDEN');
    });

    it('should list open alerts first and the oldest first, and page with a cursor', async () => {
      const res = await s.sup.request({ method: 'GET', url: '/api/v1/alerts?limit=1' });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ items: AlertSummary[]; nextCursor: string | null }>();
      expect(page.items).toHaveLength(1);
      expect(page.nextCursor).not.toBeNull();
      const all = await s.sup.request({ method: 'GET', url: '/api/v1/alerts?limit=500' });
      const items = all.json<{ items: (AlertSummary & { raisedAt: string })[] }>().items;
      const rank = { open: 0, contacted: 1, verified: 2, resolved: 3 } as Record<string, number>;
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1], items[i]];
        if (!a || !b) continue;
        expect((rank[a.status] ?? 0) < (rank[b.status] ?? 0) || (a.status === b.status && a.raisedAt <= b.raisedAt)).toBe(true);
      }
      const next = await s.sup.request({
        method: 'GET',
        url: `/api/v1/alerts?limit=1&cursor=${encodeURIComponent(page.nextCursor ?? '')}`,
      });
      expect(next.json<{ items: AlertSummary[] }>().items[0]?.id).not.toBe(page.items[0]?.id);
      expectProblem(await s.sup.request({ method: 'GET', url: '/api/v1/alerts?cursor=forged' }), 'VALIDATION_FAILED');
    });

    it('should show the evidence: the flagged transaction, the outflows before it and the rules with their numbers', async () => {
      const res = await s.cm.request({ method: 'GET', url: `/api/v1/alerts/${alertId}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      const v = res.json<AlertView>();
      expect(v.flagged.counterpartyAccount).toBe('NEW-PAYEE-9');
      expect(v.outflows).toHaveLength(11);
      expect(v.outflows.filter((o) => o.flagged).map((o) => o.id)).toEqual([v.transaction.id]);
      expect(v.rules.map((r) => r.id).sort()).toEqual(['new_payee_large', 'outflow_above_baseline']);
      expect(v.rules.every((r) => r.detail.length > 0 && r.description.length > 0 && r.evidence.includes(v.transaction.id))).toBe(true);
      expect(v.canWork).toBe(true);
      expect(v.overdue).toBe(false);
    });

    it('should show each rule’s facts as data, and keep showing alerts stored before issue 10 without them (migration 0011)', async () => {
      const v = (await s.cm.request({ method: 'GET', url: `/api/v1/alerts/${alertId}` })).json<
        AlertView & { rules: { facts: { key: string; values: Record<string, unknown> } | null }[] }
      >();
      for (const r of v.rules) {
        expect(r.evidence).toEqual([v.transaction.id]);
        expect(r.facts?.values.amountMinor).toBe(v.transaction.amountMinor);
      }
      // An alert as issue 5 stored it: rules without facts, a contact task titled with the alert's id.
      const row = await h.db
        .selectFrom('fund_alerts')
        .select(['rules', 'contact_task_id'])
        .where('id', '=', alertId)
        .executeTakeFirstOrThrow();
      const legacy = (JSON.parse(row.rules) as Record<string, unknown>[]).map(({ facts: _facts, ...rest }) => rest);
      await h.db
        .updateTable('fund_alerts')
        .set({ rules: JSON.stringify(legacy) })
        .where('id', '=', alertId)
        .execute();
      await h.db
        .updateTable('work_tasks')
        .set({ kind: 'ad_hoc', title: `联系客户核实可疑交易 / Contact the customer about the flagged transaction (alert ${alertId})` })
        .where('id', '=', row.contact_task_id ?? '')
        .execute();
      try {
        const old = await s.cm.request({ method: 'GET', url: `/api/v1/alerts/${alertId}` });
        expect(old.statusCode, old.body).toBe(200);
        expect(old.json<{ rules: { facts: unknown; detail: string }[] }>().rules.every((r) => r.facts === null && r.detail !== '')).toBe(
          true,
        );
        await correctStoredRows(h.db);
        const task = await h.db
          .selectFrom('work_tasks')
          .select(['kind', 'title'])
          .where('id', '=', row.contact_task_id ?? '')
          .executeTakeFirstOrThrow();
        expect(task).toEqual({ kind: 'alert_contact', title: null });
      } finally {
        await h.db.updateTable('fund_alerts').set({ rules: row.rules }).where('id', '=', alertId).execute();
      }
    });

    it('should answer 404 to a colleague off the team and to another branch, and let inspectors read without the notes', async () => {
      expectProblem(await s.cmOther.request({ method: 'GET', url: `/api/v1/alerts/${alertId}` }), 'NOT_FOUND');
      expectProblem(await s.cmWest.request({ method: 'GET', url: `/api/v1/alerts/${alertId}` }), 'NOT_FOUND');
      const contact = { channel: 'phone', outcome: 'reached' };
      expectProblem(await s.cmOther.request({ method: 'POST', url: `/api/v1/alerts/${alertId}/contact`, payload: contact }), 'NOT_FOUND');
      expectProblem(await s.inspector.request({ method: 'POST', url: `/api/v1/alerts/${alertId}/contact`, payload: contact }), 'FORBIDDEN');
      const insp = await s.inspector.request({ method: 'GET', url: `/api/v1/alerts/${alertId}` });
      expect(insp.statusCode, insp.body).toBe(200);
      expect(insp.json<AlertView>()).toMatchObject({ canWork: false, notesVisible: false });
    });

    it('should refuse steps out of order with ALERT_STEP_OUT_OF_ORDER and walk open → contacted → verified → resolved', async () => {
      const post = (who: Who, step: string, payload: object, headers: Record<string, string> = {}) =>
        s[who].request({ method: 'POST', url: `/api/v1/alerts/${alertId}/${step}`, payload, headers });
      expectProblem(await post('cm', 'verify', { note: '尚未联系' }), 'ALERT_STEP_OUT_OF_ORDER');
      expectProblem(await post('cm', 'resolve', { resolution: 'fraud', note: '…' }), 'ALERT_STEP_OUT_OF_ORDER');
      expectProblem(await post('cm', 'contact', { channel: 'fax', outcome: 'reached' }), 'VALIDATION_FAILED');

      h.clock.advance(20 * 60_000);
      const missed = await post('cm', 'contact', { channel: 'phone', outcome: 'not_reached' });
      expect(missed.statusCode, missed.body).toBe(200);
      expect(missed.json<AlertView>()).toMatchObject({ status: 'open', contact: { attempts: 1, outcome: 'not_reached' } });

      h.clock.advance(10 * 60_000);
      expectProblem(await post('cm', 'contact', { channel: 'phone', outcome: 'reached' }, { 'if-match': '"1"' }), 'PRECONDITION_FAILED');
      const reached = await post(
        'cm',
        'contact',
        { channel: 'phone', outcome: 'reached', note: '客户称未做过此笔转账' },
        { 'if-match': '"2"' },
      );
      expect(reached.statusCode, reached.body).toBe(200);
      expect(reached.json<AlertView>()).toMatchObject({ status: 'contacted', contact: { attempts: 2, note: '客户称未做过此笔转账' } });
      expectProblem(await post('cm', 'contact', { channel: 'visit', outcome: 'reached' }), 'ALERT_STEP_OUT_OF_ORDER');
      // The customer manager's contact task is done with the reached contact.
      const task = await h.db
        .selectFrom('work_tasks')
        .innerJoin('fund_alerts', 'fund_alerts.contact_task_id', 'work_tasks.id')
        .select(['work_tasks.status', 'work_tasks.completed_by'])
        .where('fund_alerts.id', '=', alertId)
        .executeTakeFirstOrThrow();
      expect(task).toEqual({ status: 'done', completed_by: people.cm.id });

      h.clock.advance(30 * 60_000);
      const verified = await post('risk', 'verify', { note: '与客户核对：非本人操作' });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json<AlertView>().status).toBe('verified');

      h.clock.advance(30 * 60_000);
      const resolved = await post('sup', 'resolve', { resolution: 'fraud', note: RESOLUTION_NOTE });
      expect(resolved.statusCode, resolved.body).toBe(200);
      expect(resolved.json<AlertView>()).toMatchObject({
        status: 'resolved',
        resolution: 'fraud',
        resolutionDetail: { note: RESOLUTION_NOTE },
      });
      expectProblem(await post('sup', 'resolve', { resolution: 'legitimate', note: '再次' }), 'ALERT_STEP_OUT_OF_ORDER');

      const row = await h.db.selectFrom('fund_alerts').selectAll().where('id', '=', alertId).executeTakeFirstOrThrow();
      expect(row.resolution_note_enc?.startsWith('enc:')).toBe(true);
      expect(row.contacted_at).toBe(new Date(raisedAt + 30 * 60_000).toISOString());
      const audits = await h.db
        .selectFrom('audit_events')
        .select(['action', 'detail'])
        .where('target_id', '=', alertId)
        .where('action', 'like', 'alert.%')
        .orderBy('seq')
        .execute();
      expect(audits.map((a) => a.action)).toEqual([
        'alert.raised',
        'alert.contacted',
        'alert.contacted',
        'alert.verified',
        'alert.resolved',
      ]);
      for (const a of audits) {
        expect(a.detail).not.toContain(RESOLUTION_NOTE);
        expect(a.detail).not.toContain('50000');
      }
      // The contacts are the team's interactions with the customer too (work feature).
      const interactions = await h.db.selectFrom('work_interactions').select(['kind', 'outcome']).where('case_id', '=', caseId).execute();
      expect(interactions.map((i) => i.outcome).sort()).toEqual(['not_reached', 'reached']);

      // The inspector reads the notes only with a stated reason, and the read is audited with it.
      const reason = '季度资金安全抽查';
      const insp = await s.inspector.request({ method: 'GET', url: `/api/v1/alerts/${alertId}?reason=${encodeURIComponent(reason)}` });
      expect(insp.json<AlertView>()).toMatchObject({ notesVisible: true, resolutionDetail: { note: RESOLUTION_NOTE } });
    });

    it('should answer the metrics: counts by status and resolution, minutes to contact and to resolve', async () => {
      const from = new Date(raisedAt - 60_000).toISOString();
      const to = new Date(raisedAt + 60_000).toISOString();
      const res = await s.sup.request({ method: 'GET', url: `/api/v1/alerts/metrics?from=${from}&to=${to}` });
      expect(res.statusCode, res.body).toBe(200);
      const m = res.json<{
        total: number;
        byStatus: Record<string, number>;
        byResolution: Record<string, number>;
        minutesToContact: { count: number; median: number; p90: number };
        minutesToResolve: { count: number; median: number; p90: number };
      }>();
      expect(m.total).toBe(1);
      expect(m.byStatus).toEqual({ open: 0, contacted: 0, verified: 0, resolved: 1 });
      expect(m.byResolution).toEqual({ legitimate: 0, fraud: 1, escalated: 0 });
      expect(m.minutesToContact).toEqual({ count: 1, median: 30, p90: 30 });
      expect(m.minutesToResolve).toEqual({ count: 1, median: 90, p90: 90 });
      // The west branch's customer manager counts only the west branch.
      const west = await s.cmWest.request({ method: 'GET', url: `/api/v1/alerts/metrics?from=${from}&to=${to}` });
      expect(west.json<{ total: number }>().total).toBe(0);
      expectProblem(await s.sup.request({ method: 'GET', url: `/api/v1/alerts/metrics?from=${to}&to=${from}` }), 'VALIDATION_FAILED');
    });

    it('should show the case’s alerts to those who see them', async () => {
      const res = await s.cm.request({ method: 'GET', url: `/api/v1/cases/${caseId}/alerts` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ items: AlertSummary[] }>().items.map((i) => i.id)).toEqual([alertId]);
      const other = await s.cmOther.request({ method: 'GET', url: `/api/v1/cases/${caseId}/alerts` });
      expect(other.json<{ items: AlertSummary[] }>().items).toEqual([]);
    });
  });

  describe('the SMS worker', () => {
    it('should send an SMS row to the gateway with the phone read at send time, and fail one without a phone', async () => {
      const received: { body: string; headers: IncomingHttpHeaders }[] = [];
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString('utf8');
        });
        req.on('end', () => {
          received.push({ body, headers: req.headers });
          res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo; // listening on TCP: address() is an AddressInfo
        const withPhone = await makeCustomer(h, { phone: '13700001111' });
        const without = await makeCustomer(h);
        const now = h.clock.now();
        const sent = await enqueueSms(h.db, { customerId: withPhone.id, text: '【XX银行】测试' }, { enabled: true, now });
        const noPhone = await enqueueSms(h.db, { customerId: without.id, text: '【XX银行】测试' }, { enabled: true, now });
        const mail = { send: async () => undefined };
        const result = await runOutboxOnce(h.db, h.dialect, mail, {
          from: h.config.mail.from,
          now: h.clock.now,
          sms: { transport: httpSmsTransport(`http://127.0.0.1:${port}/sms`, 'gw-token'), phoneOf: smsPhoneLookup(h.ctx) },
        });
        expect(result).toMatchObject({ sent: 1, failed: 1 });
        expect(received).toHaveLength(1);
        expect(JSON.parse(received[0]?.body ?? '{}')).toEqual({ to: '13700001111', text: '【XX银行】测试' });
        expect(received[0]?.headers.authorization).toBe('Bearer gw-token');
        expect(received[0]?.headers['idempotency-key']).toBe(sent);
        const rows = await h.db.selectFrom('outbox').select(['id', 'status', 'last_error']).where('id', 'in', [sent, noPhone]).execute();
        expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [sent]: 'sent', [noPhone]: 'failed' });
        const read = await h.db
          .selectFrom('audit_events')
          .select(['actor_username', 'detail'])
          .where('action', '=', 'sensitive.read')
          .where('target_id', '=', withPhone.id)
          .executeTakeFirstOrThrow();
        expect(read.actor_username).toBe('system:sms');
        expect(read.detail).toContain('"sms"');
        expect(read.detail).not.toContain('13700001111');
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('closing an alert', () => {
    it('P7.2.1 should tell the customer manager of the contact task, and close that task when the alert is resolved', async () => {
      h.clock.advance(6 * 3_600_000);
      const r = await registered();
      const { history, flagged } = fraudPattern(r.customerNumber);
      await ingest([...history, flagged]);
      const alert = await h.db
        .selectFrom('fund_alerts')
        .select(['id', 'contact_task_id'])
        .where('case_id', '=', r.caseId)
        .executeTakeFirstOrThrow();
      expect(alert.contact_task_id).not.toBeNull();
      // The task Lifeline made for the customer manager reaches them as a notification too.
      const told = await h.db
        .selectFrom('notifications')
        .selectAll()
        .where('recipient_id', '=', people.cm.id)
        .where('source_id', '=', alert.contact_task_id ?? '')
        .execute();
      expect(told.map((n) => n.kind)).toEqual(['task_assigned']);

      // The supervisor makes the contact, so the customer manager's task stays open until the alert is closed.
      const post = (who: Who, step: string, payload: object) =>
        s[who].request({ method: 'POST', url: `/api/v1/alerts/${alert.id}/${step}`, payload });
      expect((await post('sup', 'contact', { channel: 'phone', outcome: 'reached' })).statusCode).toBe(200);
      expect((await post('sup', 'verify', { note: '客户确认本人操作' })).statusCode).toBe(200);
      const taskStatus = async () =>
        (
          await h.db
            .selectFrom('work_tasks')
            .select('status')
            .where('id', '=', alert.contact_task_id ?? '')
            .executeTakeFirstOrThrow()
        ).status;
      expect(await taskStatus()).toBe('open');
      expect((await post('sup', 'resolve', { resolution: 'legitimate', note: '本人操作，已核实' })).statusCode).toBe(200);
      expect(await taskStatus()).toBe('cancelled');
      const mine = await s.cm.request({ method: 'GET', url: '/api/v1/work/tasks?status=open' });
      expect(mine.json<{ items: { id: string }[] }>().items.map((t) => t.id)).not.toContain(alert.contact_task_id);
    });
  });
});
