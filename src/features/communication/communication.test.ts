import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, makeBranches, makeStaff, signIn } from '../../../test/helpers/factories.js';
import { registerCaseViaApi } from '../../../test/helpers/cases.js';
import { type Harness, createHarness, describeEachDialect } from '../../../test/helpers/harness.js';
import { smtpTransport } from '../../platform/jobs/outbox-smtp.js';
import { startTestSmtpServer } from '../../platform/jobs/outbox.test-smtp.js';
import { runOutboxOnce } from '../../platform/jobs/outbox.js';
import { loadCustomers } from '../customers/customers.service.js';
import { parseMentions } from './communication.service.js';

const ILLNESS = '胰腺癌晚期，化疗第三周期';
const SECRET_NOTE = `客户担心房贷，${ILLNESS}`;

describe('parseMentions', () => {
  it('should find each @username once, lower-cased, and ignore e-mail addresses', () => {
    expect(parseMentions('@cm.east 请跟进 @WM.east 和 @cm.east；mail a@b.invalid')).toEqual(['cm.east', 'wm.east']);
    expect(parseMentions('no mention here')).toEqual([]);
    expect(parseMentions('trailing dot @risk.east.')).toEqual(['risk.east']);
  });

  it('should never throw on any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(Array.isArray(parseMentions(s))).toBe(true);
      }),
    );
  });
});

interface MessageBody {
  id: string;
  body: string;
  mentions: string[];
  author: { id: string; username: string };
}
interface NotificationList {
  items: { id: string; kind: string; caseNumber: string; readAt: string | null; sourceId: string }[];
  unreadCount: number;
  nextCursor: string | null;
}

describeEachDialect('communication API', (dialect) => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof startTestSmtpServer>>;
  let supEast: Session;
  let supWest: Session;
  let cmEast: Session;
  let admin: Session;
  let insp: Session;
  let ids: Record<'supEast' | 'cmEast' | 'wmEast' | 'cmWest', string>;
  let caseId: string;
  let caseNumber: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SMTP_URL: smtp.url });
    await makeBranches(h);
    const people = {
      supEast: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.east' }),
      supWest: await makeStaff(h, { roles: ['supervisor'], branch: 'WEST', username: 'sup.west' }),
      cmEast: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.east' }),
      wmEast: await makeStaff(h, { roles: ['wealth_manager'], branch: 'EAST', username: 'wm.east' }),
      cmWest: await makeStaff(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cm.west' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.east' }),
      admin: await makeStaff(h, { roles: ['admin'], branch: 'HQ', username: 'admin' }),
      insp: await makeStaff(h, { roles: ['inspector'], branch: 'HQ', username: 'insp' }),
    };
    ids = { supEast: people.supEast.id, cmEast: people.cmEast.id, wmEast: people.wmEast.id, cmWest: people.cmWest.id };
    supEast = await signIn(h, people.supEast);
    supWest = await signIn(h, people.supWest);
    cmEast = await signIn(h, people.cmEast);
    admin = await signIn(h, people.admin);
    insp = await signIn(h, people.insp);
    const teller = await signIn(h, people.teller);

    await loadCustomers(h.ctx, h.db, [
      {
        customerNumber: 'C0000001',
        name: '测试客户',
        gender: 'F',
        dateOfBirth: '1970-01-01',
        nationalId: null,
        phone: null,
        address: null,
        branchCode: 'EAST',
        segment: 'mass',
        openedOn: null,
      },
    ]);

    for (const [who, email] of [
      [ids.cmEast, 'cm.east@bank.invalid'],
      [ids.wmEast, 'wm.east@bank.invalid'],
      // The supervisor hears of the lead that became the case: a notification, so an e-mail too.
      [ids.supEast, 'sup.east@bank.invalid'],
    ] as const) {
      const res = await admin.request({ method: 'PUT', url: `/api/v1/admin/staff/${who}/email`, payload: { email } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const reg = await registerCaseViaApi({ teller, supervisor: supEast }, 'C0000001', h.clock.now(), { illness: ILLNESS });
    caseId = reg.id;
    caseNumber = reg.caseNumber;
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.close();
  });

  const post = (s: Session, body: unknown, id = caseId) =>
    s.request({ method: 'POST', url: `/api/v1/cases/${id}/messages`, payload: body as Record<string, unknown> });
  const notifications = (s: Session, query = '') => s.request({ method: 'GET', url: `/api/v1/notifications${query}` });

  describe('thread', () => {
    it('P9.1.1 should post a message, encrypt it at rest and list it to entitled readers', async () => {
      const res = await post(supEast, { body: `${SECRET_NOTE} @cm.east @wm.east @nobody` });
      expect(res.statusCode, res.body).toBe(201);
      const msg = res.json<MessageBody>();
      expect(msg.mentions.sort()).toEqual([ids.cmEast, ids.wmEast].sort());
      const row = await h.db.selectFrom('case_messages').selectAll().where('id', '=', msg.id).executeTakeFirstOrThrow();
      expect(row.body_enc).toMatch(/^enc:v\d+:/);
      expect(row.body_enc).not.toContain('房贷');
      const list = await supEast.request({ method: 'GET', url: `/api/v1/cases/${caseId}/messages` });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json<{ items: MessageBody[] }>().items.map((m) => m.body)).toContain(`${SECRET_NOTE} @cm.east @wm.east @nobody`);
    });

    it('should answer 404 on the thread of a case the reader may not see', async () => {
      expectProblem(await supWest.request({ method: 'GET', url: `/api/v1/cases/${caseId}/messages` }), 'NOT_FOUND');
      expectProblem(await post(supWest, { body: 'hello' }), 'NOT_FOUND');
      expectProblem(
        await supEast.request({ method: 'GET', url: '/api/v1/cases/0190aaaa-0000-7000-8000-000000000000/messages' }),
        'NOT_FOUND',
      );
    });

    it('should refuse the thread to a reader who sees the case but not its confidential sections', async () => {
      // cm.east is of the branch but not on the case's team; the inspector states no reason.
      expectProblem(await cmEast.request({ method: 'GET', url: `/api/v1/cases/${caseId}/messages` }), 'FORBIDDEN');
      expectProblem(await insp.request({ method: 'GET', url: `/api/v1/cases/${caseId}/messages` }), 'FORBIDDEN');
    });

    it('should refuse bad bodies with 400 problem+json', async () => {
      expectProblem(await post(supEast, {}), 'VALIDATION_FAILED');
      expectProblem(await post(supEast, { body: '   ' }), 'VALIDATION_FAILED');
      expectProblem(await post(supEast, { body: 'x'.repeat(4001) }), 'VALIDATION_FAILED');
      expectProblem(await post(supEast, { body: 'a\u0000b' }), 'VALIDATION_FAILED');
    });

    it('should never answer 5xx to arbitrary bodies', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.anything()), async (body) => {
          const res = await post(supEast, { body });
          expectNoServerError(res, `POST messages ${JSON.stringify(body)?.slice(0, 80)}`);
        }),
        { numRuns: 40 },
      );
    });
  });

  describe('notifications and e-mail', () => {
    it('should notify the mentioned colleague, with no case content', async () => {
      const res = await notifications(cmEast, '?unread=true');
      expect(res.statusCode, res.body).toBe(200);
      const list = res.json<NotificationList>();
      expect(list.unreadCount).toBeGreaterThanOrEqual(1);
      expect(list.items[0]?.kind).toBe('mention');
      expect(list.items[0]?.caseNumber).toBe(caseNumber);
      expect(res.body).not.toContain('房贷');
    });

    it('should send one e-mail per notification through the outbox, naming only the case number', async () => {
      const transport = smtpTransport(smtp.url, { timeoutMs: 5000 });
      const runs = await Promise.all(
        [0, 1].map(() => runOutboxOnce(h.db, h.dialect, transport, { from: h.config.mail.from, now: h.clock.now })),
      );
      const sent = runs.reduce((n, r) => n + r.sent, 0);
      const notified = Number(
        (
          await h.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(sent).toBe(notified);
      expect(smtp.mails).toHaveLength(notified);
      expect(new Set(smtp.mails.map((m) => m.messageId)).size).toBe(notified);
      const toCm = smtp.mails.find((m) => m.to.includes('cm.east@bank.invalid'));
      expect(toCm?.subject).toContain(caseNumber);
      for (const mail of smtp.mails) {
        for (const secret of [ILLNESS, '房贷', '胰腺癌', SECRET_NOTE]) {
          expect(mail.text).not.toContain(secret);
          expect(mail.subject).not.toContain(secret);
          expect(mail.data).not.toContain(secret);
        }
      }
    });

    it('should write the notification and its outbox row with the message, or neither', async () => {
      const before = await h.db.selectFrom('outbox').select('id').execute();
      expectProblem(await post(supWest, { body: '@cm.east hi' }), 'NOT_FOUND');
      expect(await h.db.selectFrom('outbox').select('id').execute()).toHaveLength(before.length);
    });

    it('should mark one and then all notifications read, and hide other people’s', async () => {
      await post(supEast, { body: '@cm.east 第二条' });
      const list = (await notifications(cmEast)).json<NotificationList>();
      const first = list.items[0];
      if (!first) throw new Error('no notification');
      expectProblem(await supEast.request({ method: 'POST', url: `/api/v1/notifications/${first.id}/read` }), 'NOT_FOUND');
      const one = await cmEast.request({ method: 'POST', url: `/api/v1/notifications/${first.id}/read` });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json<{ unreadCount: number }>().unreadCount).toBe(list.unreadCount - 1);
      const all = await cmEast.request({ method: 'POST', url: '/api/v1/notifications/read-all' });
      expect(all.json<{ unreadCount: number }>().unreadCount).toBe(0);
      expect((await notifications(cmEast, '?unread=true')).json<NotificationList>().items).toHaveLength(0);
    });
  });

  describe('meetings', () => {
    it('should record minutes encrypted, keep action items and notify their assignees', async () => {
      const res = await supEast.request({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/meetings`,
        payload: {
          heldAt: '2026-11-28T08:00:00Z',
          attendees: [ids.supEast, ids.cmEast, ids.wmEast],
          minutes: `讨论：${ILLNESS}`,
          actionItems: [{ assigneeId: ids.wmEast, title: '重新评估理财方案', dueOn: '2026-12-05' }],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const meeting = res.json<{ id: string; actionItems: { id: string; status: string; taskId: string | null }[] }>();
      expect(meeting.actionItems).toHaveLength(1);
      expect(meeting.actionItems[0]?.status).toBe('open');
      // The action item became an ad-hoc task of the work feature, in the assignee's work.
      const taskId = meeting.actionItems[0]?.taskId ?? '';
      const task = await h.db.selectFrom('work_tasks').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
      expect(task).toMatchObject({ assignee_id: ids.wmEast, case_id: caseId, kind: 'ad_hoc', due_on: '2026-12-05' });
      const row = await h.db.selectFrom('case_meetings').selectAll().where('id', '=', meeting.id).executeTakeFirstOrThrow();
      expect(row.minutes_enc).not.toContain('胰腺癌');
      const list = await supEast.request({ method: 'GET', url: `/api/v1/cases/${caseId}/meetings` });
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json<{ items: { minutes: string }[] }>().items[0]?.minutes).toContain(ILLNESS);
      const wm = await signIn(h, { username: 'wm.east', password: 'correct horse battery staple' });
      const n = (await notifications(wm, '?unread=true')).json<NotificationList>();
      expect(n.items.some((i) => i.kind === 'action_item' && i.sourceId === meeting.actionItems[0]?.id)).toBe(true);
    });

    it('should refuse unknown attendees or assignees with 400 and other branches with 404', async () => {
      const body = { heldAt: '2026-11-28T08:00:00Z', attendees: ['nobody'], minutes: 'm' };
      const bad = expectProblem(
        await supEast.request({ method: 'POST', url: `/api/v1/cases/${caseId}/meetings`, payload: body }),
        'VALIDATION_FAILED',
      );
      expect(bad.errors?.[0]?.path).toBe('body.attendees.0');
      expectProblem(
        await supWest.request({ method: 'POST', url: `/api/v1/cases/${caseId}/meetings`, payload: { ...body, attendees: [ids.cmWest] } }),
        'NOT_FOUND',
      );
      const tasksBefore = await h.db.selectFrom('work_tasks').select('id').execute();
      const west = expectProblem(
        await supEast.request({
          method: 'POST',
          url: `/api/v1/cases/${caseId}/meetings`,
          payload: { ...body, attendees: [ids.cmEast], actionItems: [{ assigneeId: ids.cmWest, title: '跨行任务', dueOn: '2026-12-05' }] },
        }),
        'VALIDATION_FAILED',
      );
      expect(west.errors?.[0]?.path).toBe('body.actionItems.0.assigneeId');
      // Nothing of the refused meeting is kept: no meeting, no task.
      expect(await h.db.selectFrom('work_tasks').select('id').execute()).toHaveLength(tasksBefore.length);
      expectProblem(
        await supEast.request({
          method: 'POST',
          url: `/api/v1/cases/${caseId}/meetings`,
          payload: { ...body, heldAt: 'yesterday', attendees: [ids.cmEast] },
        }),
        'VALIDATION_FAILED',
      );
    });
  });

  describe('staff e-mail addresses', () => {
    it('should let only admins set an address, and refuse one that is not an address', async () => {
      expectProblem(
        await supEast.request({ method: 'PUT', url: `/api/v1/admin/staff/${ids.cmEast}/email`, payload: { email: 'x@bank.invalid' } }),
        'FORBIDDEN',
      );
      expectProblem(
        await admin.request({ method: 'PUT', url: `/api/v1/admin/staff/${ids.cmEast}/email`, payload: { email: 'a@b\r\nBcc: c@d' } }),
        'VALIDATION_FAILED',
      );
      expectProblem(
        await admin.request({ method: 'PUT', url: '/api/v1/admin/staff/nobody/email', payload: { email: 'x@bank.invalid' } }),
        'NOT_FOUND',
      );
      const got = await admin.request({ method: 'GET', url: `/api/v1/admin/staff/${ids.cmEast}/email` });
      expect(got.json<{ email: string }>().email).toBe('cm.east@bank.invalid');
      const cleared = await admin.request({ method: 'PUT', url: `/api/v1/admin/staff/${ids.cmEast}/email`, payload: { email: null } });
      expect(cleared.json<{ email: null }>().email).toBeNull();
    });
  });
});
