import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoServerError, expectProblem } from '../../../test/api/expect-problem.js';
import { type Session, staffSession } from '../../../test/helpers/factories.js';
import { createHarness, describeEachDialect, type Harness } from '../../../test/helpers/harness.js';

const URL = '/api/v1/credit/schedule-preview';
const LOAN = { principalMinor: 100_000, annualRatePercent: 12, months: 3, method: 'annuity', startOn: '2026-03-15' };

describeEachDialect('credit schedule preview API', (dialect) => {
  let h: Harness;
  let cm: Session;
  let risk: Session;
  let teller: Session;

  beforeAll(async () => {
    h = await createHarness(dialect, { LIFELINE_MFA: 'off' });
    cm = (await staffSession(h, { roles: ['customer_manager'] })).session;
    risk = (await staffSession(h, { roles: ['risk_officer'] })).session;
    teller = (await staffSession(h, { roles: ['staff'] })).session;
  });
  afterAll(async () => {
    await h.close();
  });

  const preview = (who: Session, payload: unknown) => who.request({ method: 'POST', url: URL, payload: payload as object });

  describe('POST /api/v1/credit/schedule-preview', () => {
    it('P4.1.1 should answer the schedule API.md defines, to customer managers and risk officers', async () => {
      for (const who of [cm, risk]) {
        const res = await preview(who, LOAN);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ instalments: { dueOn: string; totalMinor: number; balanceMinor: number }[]; totalInterestMinor: number }>();
        expect(body.instalments.map((i) => [i.dueOn, i.totalMinor, i.balanceMinor])).toEqual([
          ['2026-04-15', 34_002, 66_998],
          ['2026-05-15', 34_002, 33_666],
          ['2026-06-15', 34_003, 0],
        ]);
        expect(body.totalInterestMinor).toBe(2_007);
      }
    });

    it('should refuse staff without a credit role with 403', async () => {
      expectProblem(await preview(teller, LOAN), 'FORBIDDEN');
    });

    it('should refuse impossible loans field by field with a stable reason', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ principalMinor: 0 }, 'body.principalMinor', 'too_small'],
        [{ principalMinor: 12.5 }, 'body.principalMinor', 'invalid_type'],
        [{ annualRatePercent: 4.12345 }, 'body.annualRatePercent', 'invalid_format'],
        [{ annualRatePercent: -1 }, 'body.annualRatePercent', 'too_small'],
        [{ months: 361 }, 'body.months', 'too_big'],
        [{ method: 'balloon' }, 'body.method', 'invalid_value'],
        [{ startOn: '2026-02-30' }, 'body.startOn', 'no_such_date'],
        [{ graceMonths: 3 }, 'body.graceMonths', 'order'],
      ];
      for (const [change, path, reason] of cases) {
        const body = expectProblem(await preview(cm, { ...LOAN, ...change }), 'VALIDATION_FAILED');
        expect(
          body.errors?.find((e) => e.path === path),
          JSON.stringify(change),
        ).toMatchObject({ reason });
      }
    });

    it('should answer any body with a schedule or a 4xx problem, never a 500', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              principalMinor: fc.oneof(fc.integer({ min: -10, max: 200_000_000_000 }), fc.double(), fc.string()),
              annualRatePercent: fc.oneof(fc.double({ min: -1, max: 40, noNaN: true }), fc.integer({ min: 0, max: 36 })),
              months: fc.oneof(fc.integer({ min: -1, max: 400 }), fc.constant(null)),
              method: fc.constantFrom('annuity', 'equal_principal', 'x'),
              startOn: fc.oneof(fc.constant('2026-01-31'), fc.string()),
              graceMonths: fc.integer({ min: -1, max: 400 }),
            },
            { requiredKeys: [] },
          ),
          async (payload) => {
            const res = await preview(cm, payload);
            expectNoServerError(res, JSON.stringify(payload));
            if (res.statusCode === 200) {
              const body = res.json<{ instalments: { principalMinor: number }[] }>();
              expect(body.instalments.reduce((s, i) => s + i.principalMinor, 0)).toBe(payload.principalMinor);
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });
});
