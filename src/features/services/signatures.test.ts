import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectProblem } from '../../../test/api/expect-problem.js';
import { makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { type ServiceRequestRef, serviceRequestOnCase, TINY_PNG_BASE64 } from '../../../test/helpers/service-requests.js';

interface Summary {
  locale: string;
  text: string;
  sha256: string;
}
interface Signature {
  id: string;
  kind: 'on_device' | 'remote_video';
  status: 'valid' | 'voided';
  voidReason: string | null;
  summarySha256: string;
  currentSha256: string;
  summaryText: string;
  imagePng: string | null;
  witness: { id: string; displayName: string } | null;
  signedAt: string;
  place: string | null;
  videoSessionRef: string | null;
  spokenConsentRef: string | null;
}

const PNG = `data:image/png;base64,${TINY_PNG_BASE64}`;

describeEachDialect('service request signatures', (dialect) => {
  let h: Harness;
  let cm: Session;
  let sup: Session;
  let cmOther: Session;
  let cmWest: Session;
  let cmId = '';
  let request: ServiceRequestRef;

  const base = () => `/api/v1/service-requests/${request.id}`;
  const summary = async (locale = 'zh-CN') => {
    const res = await cm.request({ method: 'GET', url: `${base()}/summary?locale=${locale}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Summary>();
  };
  const signatures = async (who: Session = cm) => {
    const res = await who.request({ method: 'GET', url: `${base()}/signatures` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Signature[] }>().items;
  };
  const signOnDevice = (sha256: string, locale = 'zh-CN') =>
    cm.request({
      method: 'POST',
      url: `${base()}/signatures`,
      payload: { kind: 'on_device', locale, summarySha256: sha256, imagePng: PNG, place: '东城支行贵宾室' },
    });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    h.clock.set('2026-11-30T02:00:00.000Z');
    const people = {
      sup: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.sig' }),
      cm: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.sig' }),
      ops: await makeStaff(h, { roles: ['operations'], branch: 'EAST', username: 'ops.sig' }),
      cmOther: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cmother.sig' }),
      cmWest: await makeStaff(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cmwest.sig' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.sig' }),
    };
    cmId = people.cm.id;
    sup = await signIn(h, people.sup);
    cm = await signIn(h, people.cm);
    cmOther = await signIn(h, people.cmOther);
    cmWest = await signIn(h, people.cmWest);
    request = await serviceRequestOnCase(
      h,
      { teller: await signIn(h, people.teller), supervisor: sup, requester: cm },
      [
        { staffId: people.cm.id, role: 'customer_manager' },
        { staffId: people.ops.id, role: 'operations' },
      ],
      people.sup.id,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('P6.1.2 should render the summary in the reader’s language with the SHA-256 of exactly its text', async () => {
    const zh = await summary('zh-CN');
    expect(zh.text).toContain('账户变更协助');
    expect(zh.text).toContain('签名客户');
    expect(zh.text).toContain('更新联系电话');
    // The account by its number, as the customer knows it, never the system's id.
    expect(zh.text).not.toContain(request.accountId);
    expect(zh.text).toMatch(/- 账户：A-/);
    expect(zh.sha256).toBe(createHash('sha256').update(zh.text, 'utf8').digest('hex'));
    const en = await summary('en');
    expect(en.text).toContain('Help with account changes');
    expect(en.sha256).not.toBe(zh.sha256);
  });

  it('P6.1.2 should record a signature on the device with the hash, the text, the image, the witness, the time and the place', async () => {
    const shown = await summary();
    const res = await signOnDevice(shown.sha256);
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json<Signature>();
    expect(s).toMatchObject({
      kind: 'on_device',
      status: 'valid',
      summarySha256: shown.sha256,
      currentSha256: shown.sha256,
      summaryText: shown.text,
      imagePng: PNG,
      witness: { id: cmId },
      signedAt: '2026-11-30T02:00:00.000Z',
      place: '东城支行贵宾室',
    });
    const row = await h.db.selectFrom('service_signatures').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.image_enc).not.toContain(TINY_PNG_BASE64);
    expect(row.summary_enc).not.toContain('签名客户');
    expect(row.summary_sha256).toBe(shown.sha256);
  });

  it('P6.1.2 should refuse a signature of a summary that is not the request’s now', async () => {
    expectProblem(await signOnDevice('0'.repeat(64)), 'CONFLICT');
  });

  it('P6.1.2 should refuse an image that is not a PNG', async () => {
    const shown = await summary();
    const res = await cm.request({
      method: 'POST',
      url: `${base()}/signatures`,
      payload: { kind: 'on_device', locale: 'zh-CN', summarySha256: shown.sha256, imagePng: 'data:image/png;base64,R0lGODlh', place: 'x' },
    });
    expect(expectProblem(res, 'VALIDATION_FAILED').errors?.[0]?.path).toBe('body.imagePng');
  });

  it('P6.1.2 should keep signatures from staff outside the case: 404 in another branch, 403 in the same one', async () => {
    expectProblem(await cmWest.request({ method: 'GET', url: `${base()}/signatures` }), 'NOT_FOUND');
    expectProblem(await cmOther.request({ method: 'GET', url: `${base()}/signatures` }), 'FORBIDDEN');
    const shown = await summary();
    expectProblem(
      await cmOther.request({
        method: 'POST',
        url: `${base()}/signatures`,
        payload: { kind: 'on_device', locale: 'zh-CN', summarySha256: shown.sha256, imagePng: PNG, place: 'x' },
      }),
      'FORBIDDEN',
    );
  });

  it('P6.1.2 should audit every read of the signatures', async () => {
    const before = await h.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await signatures(sup);
    const reads = await h.db
      .selectFrom('audit_events')
      .select(['detail', 'actor_username'])
      .where('seq', '>', before.seq)
      .where('action', '=', 'sensitive.read')
      .execute();
    expect(reads).toHaveLength(1);
    expect(reads[0]?.detail).toContain('service_signatures');
  });

  it('P6.1.2 should void the signature when a document is ticked after it, with the reason', async () => {
    const res = await cm.request({
      method: 'PUT',
      url: `${base()}/documents/identity_document`,
      payload: { evidenceRef: '原件已核验' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [s] = await signatures();
    expect(s).toMatchObject({ status: 'voided', voidReason: 'documents_changed' });
    expect(s?.currentSha256).not.toBe(s?.summarySha256);
  });

  it('P6.1.2 should void the signature when the details change (PATCH with If-Match), and keep the old text', async () => {
    const shown = await summary();
    expect((await signOnDevice(shown.sha256)).statusCode).toBe(201);
    const view = await cm.request({ method: 'GET', url: base() });
    const version = view.json<{ version: number }>().version;
    const details = { accountId: request.accountId, change: 'limits', description: '调低每日转账限额' };
    expectProblem(await cm.request({ method: 'PATCH', url: base(), payload: { details } }), 'PRECONDITION_REQUIRED');
    expectProblem(
      await cm.request({ method: 'PATCH', url: base(), headers: { 'if-match': `"${version + 5}"` }, payload: { details } }),
      'PRECONDITION_FAILED',
    );
    const bad = await cm.request({
      method: 'PATCH',
      url: base(),
      headers: { 'if-match': `"${version}"` },
      payload: { details: { ...details, accountId: 'not-the-customers' } },
    });
    expect(expectProblem(bad, 'VALIDATION_FAILED').errors?.[0]?.reason).toBe('not_owned');
    const patched = await cm.request({ method: 'PATCH', url: base(), headers: { 'if-match': `"${version}"` }, payload: { details } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<{ version: number; details: unknown }>()).toMatchObject({ version: version + 1, details });
    const [latest, older] = await signatures();
    expect(latest).toMatchObject({ status: 'voided', voidReason: 'request_changed', summaryText: shown.text });
    expect(older?.status).toBe('voided');
    const events = await h.db.selectFrom('audit_events').select('action').where('target_id', '=', request.id).execute();
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['service.details_changed', 'service.signature_voided']));
  });

  it('P6.1.2 should record a remote video witnessing without an image', async () => {
    const shown = await summary('en');
    const res = await cm.request({
      method: 'POST',
      url: `${base()}/signatures`,
      payload: {
        kind: 'remote_video',
        locale: 'en',
        summarySha256: shown.sha256,
        videoSessionRef: 'VC-2026-1130-17',
        spokenConsentRef: 'recording 00:03:12',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Signature>()).toMatchObject({
      kind: 'remote_video',
      status: 'valid',
      imagePng: null,
      videoSessionRef: 'VC-2026-1130-17',
      spokenConsentRef: 'recording 00:03:12',
      witness: { id: cmId },
      summaryText: shown.text,
    });
    // The video signature needs its references.
    const missing = await cm.request({
      method: 'POST',
      url: `${base()}/signatures`,
      payload: { kind: 'remote_video', locale: 'en', summarySha256: shown.sha256 },
    });
    expectProblem(missing, 'VALIDATION_FAILED');
  });

  it('P6.1.2 should not let the details of a completed request change', async () => {
    const view = await cm.request({ method: 'GET', url: base() });
    const { version } = view.json<{ version: number }>();
    const started = await cm.request({ method: 'POST', url: `${base()}/start` });
    expect(started.statusCode, started.body).toBe(200);
    const done = await cm.request({ method: 'POST', url: `${base()}/complete`, payload: { outcome: '已办理' } });
    expect(done.statusCode, done.body).toBe(200);
    const res = await cm.request({
      method: 'PATCH',
      url: base(),
      headers: { 'if-match': `"${version + 2}"` },
      payload: { details: { accountId: request.accountId, change: 'other', description: '改' } },
    });
    expectProblem(res, 'CONFLICT');
  });
});
