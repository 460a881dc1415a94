import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { makeStaff, type Session, signIn } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';
import { type ServiceRequestRef, serviceRequestOnCase } from '../../../test/helpers/service-requests.js';
import { MAX_SCAN_BYTES, setUploadScanner, sniffScanType } from '../../platform/files/scans.js';

interface DocumentList {
  requestId: string;
  reduced: boolean;
  items: {
    code: string;
    zh: string;
    ticked: { by: { id: string; displayName: string } | null; at: string; evidenceRef: string | null } | null;
    scan: { contentType: string; sizeBytes: number; sha256: string; uploadedBy: { id: string } | null } | null;
  }[];
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('1 0 obj << >> endobj\n%%EOF\n')]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const EVIDENCE = '原件已核验 / 扫描件 #A-1077';

describe('scan types', () => {
  it('P6.1.1 should recognise PDF, JPEG and PNG by their first bytes only', () => {
    expect(sniffScanType(PDF)).toBe('application/pdf');
    expect(sniffScanType(JPEG)).toBe('image/jpeg');
    expect(sniffScanType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffScanType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffScanType(Buffer.from('%PD'))).toBeUndefined();
  });
});

describeEachDialect('service request documents', (dialect) => {
  let h: Harness;
  let cm: Session;
  let sup: Session;
  let cmOther: Session;
  let cmWest: Session;
  let inspector: Session;
  let cmId = '';
  let request: ServiceRequestRef;

  const url = (path = '') => `/api/v1/service-requests/${request.id}/documents${path}`;
  const upload = (who: Session, body: Buffer, contentType: string, code = 'identity_document') =>
    who.request({ method: 'POST', url: url(`/${code}/scan?name=id-card.pdf`), headers: { 'content-type': contentType }, payload: body });

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off', LIFELINE_SESSION_IDLE_MINUTES: '600' });
    h.clock.set('2026-11-30T02:00:00.000Z');
    const people = {
      sup: await makeStaff(h, { roles: ['supervisor'], branch: 'EAST', username: 'sup.doc' }),
      cm: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cm.doc' }),
      ops: await makeStaff(h, { roles: ['operations'], branch: 'EAST', username: 'ops.doc' }),
      cmOther: await makeStaff(h, { roles: ['customer_manager'], branch: 'EAST', username: 'cmother.doc' }),
      cmWest: await makeStaff(h, { roles: ['customer_manager'], branch: 'WEST', username: 'cmwest.doc' }),
      teller: await makeStaff(h, { roles: ['staff'], branch: 'EAST', username: 'teller.doc' }),
      inspector: await makeStaff(h, { roles: ['inspector'], branch: 'HQ', username: 'insp.doc' }),
    };
    cmId = people.cm.id;
    sup = await signIn(h, people.sup);
    cm = await signIn(h, people.cm);
    cmOther = await signIn(h, people.cmOther);
    cmWest = await signIn(h, people.cmWest);
    inspector = await signIn(h, people.inspector);
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
  afterEach(() => setUploadScanner());

  it('P6.1.1 should show the reduced checklist of the type, nothing ticked yet', async () => {
    const res = await cm.request({ method: 'GET', url: url() });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<DocumentList>();
    expect(list.reduced).toBe(true);
    expect(list.items.map((i) => i.code)).toEqual(['identity_document']);
    expect(list.items[0]?.ticked).toBeNull();
  });

  it('P6.1.1 should tick an item with its evidence, naming the staff member and the time, and audit it', async () => {
    const res = await cm.request({ method: 'PUT', url: url('/identity_document'), payload: { evidenceRef: EVIDENCE } });
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json<DocumentList>().items[0];
    expect(item?.ticked).toMatchObject({ by: { id: cmId }, at: '2026-11-30T02:00:00.000Z', evidenceRef: EVIDENCE });
    const events = await h.db.selectFrom('audit_events').select(['action', 'detail']).where('target_id', '=', request.id).execute();
    expect(events.map((e) => e.action)).toContain('service.document_ticked');
    // The request's own view shows the same tick.
    const view = await cm.request({ method: 'GET', url: `/api/v1/service-requests/${request.id}` });
    expect(view.json<{ checklist: { ticked: { evidenceRef: string } | null }[] }>().checklist[0]?.ticked?.evidenceRef).toBe(EVIDENCE);
  });

  it('P6.1.1 should refuse an item that is not on the checklist', async () => {
    expectProblem(await cm.request({ method: 'PUT', url: url('/medical_certificate'), payload: { evidenceRef: 'x' } }), 'NOT_FOUND');
  });

  it('P6.1.1 should store a scan encrypted and let the team download it, each download audited', async () => {
    const res = await upload(cm, PDF, 'application/pdf');
    expect(res.statusCode, res.body).toBe(200);
    const scan = res.json<DocumentList>().items[0]?.scan;
    expect(scan).toMatchObject({ contentType: 'application/pdf', sizeBytes: PDF.length, uploadedBy: { id: cmId } });
    const row = await h.db.selectFrom('service_documents').selectAll().where('request_id', '=', request.id).executeTakeFirstOrThrow();
    expect(row.content_enc).not.toContain(PDF.toString('base64'));
    expect(row.file_name_enc).not.toContain('id-card');

    const before = await h.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    for (const who of [cm, sup]) {
      const down = await who.request({ method: 'GET', url: url('/identity_document/scan') });
      expect(down.statusCode, down.body).toBe(200);
      const body = down.json<{ fileName: string; contentType: string; contentBase64: string; sha256: string }>();
      expect(Buffer.from(body.contentBase64, 'base64').equals(PDF)).toBe(true);
      expect(body).toMatchObject({ fileName: 'id-card.pdf', contentType: 'application/pdf', sha256: scan?.sha256 });
      expect(down.headers['cache-control']).toBe('no-store');
    }
    const reads = await h.db
      .selectFrom('audit_events')
      .select(['action', 'detail'])
      .where('seq', '>', before.seq)
      .where('action', '=', 'sensitive.read')
      .execute();
    expect(reads).toHaveLength(2);
    for (const r of reads) expect(r.detail).toContain('service_document_download');
  });

  it('P6.1.1 should keep scans from staff outside the case: 404 in another branch, 403 in the same one', async () => {
    expectProblem(await cmWest.request({ method: 'GET', url: url('/identity_document/scan') }), 'NOT_FOUND');
    expectProblem(await cmOther.request({ method: 'GET', url: url('/identity_document/scan') }), 'FORBIDDEN');
    expectProblem(await cmOther.request({ method: 'PUT', url: url('/identity_document'), payload: { evidenceRef: 'x' } }), 'FORBIDDEN');
    expectProblem(await upload(cmOther, PDF, 'application/pdf'), 'FORBIDDEN');
    const denied = await h.db.selectFrom('audit_events').select('action').where('action', '=', 'access.denied').execute();
    expect(denied.length).toBeGreaterThan(0);
    expectProblem(await inspector.request({ method: 'GET', url: url('/identity_document/scan') }), 'FORBIDDEN');
  });

  it('P6.1.1 should refuse an upload whose bytes are not a PDF, JPEG or PNG with 415, whatever it claims', async () => {
    for (const type of ['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream']) {
      expectProblem(await upload(cm, Buffer.from('GIF89a not a scan'), type), 'UNSUPPORTED_MEDIA_TYPE');
    }
    // A JPEG declared as a PDF is refused too.
    expectProblem(await upload(cm, JPEG, 'application/pdf'), 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await upload(cm, PDF, 'text/plain'), 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await upload(cm, PDF, 'application/zip'), 'UNSUPPORTED_MEDIA_TYPE');
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 64 }).filter((b) => sniffScanType(b) === undefined),
        fc.constantFrom('application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream'),
        async (bytes, type) => {
          const res = await upload(cm, Buffer.from(bytes), type);
          expectNoServerError(res, 'upload');
          expect([400, 415]).toContain(res.statusCode);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('P6.1.1 should refuse a scan over 5 MB with 413', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_SCAN_BYTES)]);
    expectProblem(await upload(cm, big, 'application/pdf'), 'PAYLOAD_TOO_LARGE');
  });

  it('P6.1.1 should pass every upload through the virus-scan seam before storing it', async () => {
    const seen: string[] = [];
    setUploadScanner(async (_bytes, type) => {
      seen.push(type);
      return { accept: false, reason: 'EICAR test signature' };
    });
    const res = await upload(cm, JPEG, 'image/jpeg');
    const problem = expectProblem(res, 'VALIDATION_FAILED');
    expect(problem.errors?.[0]?.reason).toBe('not_allowed');
    expect(seen).toEqual(['image/jpeg']);
    // The scan stored before is still the PDF.
    const list = (await cm.request({ method: 'GET', url: url() })).json<DocumentList>();
    expect(list.items[0]?.scan?.contentType).toBe('application/pdf');
  });

  it('P6.1.1 should untick an item with its scan, and audit who did it', async () => {
    const res = await cm.request({ method: 'DELETE', url: url('/identity_document') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<DocumentList>().items[0]).toMatchObject({ ticked: null, scan: null });
    const events = await h.db
      .selectFrom('audit_events')
      .select(['action', 'detail', 'actor_id'])
      .where('action', '=', 'service.document_unticked')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.actor_id).toBe(cmId);
    expect(events[0]?.detail).toContain('"hadScan":true');
    expectProblem(await cm.request({ method: 'GET', url: url('/identity_document/scan') }), 'NOT_FOUND');
    expectProblem(await cm.request({ method: 'DELETE', url: url('/identity_document') }), 'CONFLICT');
  });

  it('P6.1.1 should refuse a scan of an item not ticked', async () => {
    expectProblem(await upload(cm, PDF, 'application/pdf'), 'CONFLICT');
  });
});
