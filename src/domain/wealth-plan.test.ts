import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocationOf,
  applyMoves,
  checkMoves,
  DEFAULT_PLAN_RULE,
  type PlanHolding,
  type PlanMove,
  planFor,
  proposeMoves,
  RISK_LEVELS,
  totalOf,
} from './wealth-plan.js';

const holding = fc.record({
  riskLevel: fc.constantFrom(...RISK_LEVELS),
  amountMinor: fc.integer({ min: 0, max: 10_000_000_000 }),
});
const holdings = fc
  .array(holding, { maxLength: 12 })
  .map((hs): PlanHolding[] => hs.map((h, i) => ({ id: `h${String(i).padStart(2, '0')}`, ...h })));

describe('wealth re-planning', () => {
  it('P4.3.1 should move R4 and R5 in full to R1 and the R3 above 20 % to R2', () => {
    const hs: PlanHolding[] = [
      { id: 'a', riskLevel: 'R1', amountMinor: 100_000 },
      { id: 'b', riskLevel: 'R3', amountMinor: 400_000 },
      { id: 'c', riskLevel: 'R5', amountMinor: 300_000 },
      { id: 'd', riskLevel: 'R4', amountMinor: 200_000 },
    ];
    const plan = planFor(hs);
    // Total 1 000 000: R3 may keep 200 000, so 200 000 of it moves.
    expect(plan.moves).toEqual([
      { holdingId: 'c', amountMinor: 300_000, toRiskLevel: 'R1' },
      { holdingId: 'd', amountMinor: 200_000, toRiskLevel: 'R1' },
      { holdingId: 'b', amountMinor: 200_000, toRiskLevel: 'R2' },
    ]);
    expect(plan.after).toEqual({ R1: 600_000, R2: 200_000, R3: 200_000, R4: 0, R5: 0 });
  });

  it('P4.3.1 should take the R3 excess from the largest R3 holding first', () => {
    const hs: PlanHolding[] = [
      { id: 'small', riskLevel: 'R3', amountMinor: 100 },
      { id: 'big', riskLevel: 'R3', amountMinor: 900 },
    ];
    expect(proposeMoves(hs)).toEqual([{ holdingId: 'big', amountMinor: 800, toRiskLevel: 'R2' }]);
  });

  it('P4.3.1 should propose nothing for a conservative portfolio', () => {
    expect(
      proposeMoves([
        { id: 'a', riskLevel: 'R1', amountMinor: 800 },
        { id: 'b', riskLevel: 'R3', amountMinor: 200 },
      ]),
    ).toEqual([]);
    expect(proposeMoves([])).toEqual([]);
  });

  it('P4.3.1 should refuse a move above the holding, to a riskier or non-conservative level, or of an unknown holding', () => {
    const hs: PlanHolding[] = [
      { id: 'a', riskLevel: 'R4', amountMinor: 1000 },
      { id: 'b', riskLevel: 'R2', amountMinor: 1000 },
    ];
    const moves = [
      { holdingId: 'a', amountMinor: 600, toRiskLevel: 'R1' },
      { holdingId: 'a', amountMinor: 600, toRiskLevel: 'R2' },
      { holdingId: 'b', amountMinor: 10, toRiskLevel: 'R2' },
      { holdingId: 'zz', amountMinor: 10, toRiskLevel: 'R1' },
      { holdingId: 'a', amountMinor: 0, toRiskLevel: 'R1' },
    ] satisfies PlanMove[];
    expect(checkMoves(hs, moves)).toEqual([
      { path: '1.amountMinor', reason: 'exceeds' },
      { path: '2.toRiskLevel', reason: 'invalid_value' },
      { path: '3.holdingId', reason: 'not_owned' },
      { path: '4.amountMinor', reason: 'range' },
    ]);
    // A target outside R1–R2 (the catalogue allows R3) is refused here.
    expect(checkMoves(hs, [{ holdingId: 'a', amountMinor: 1, toRiskLevel: 'R3' as 'R1' }])).toEqual([
      { path: '0.toRiskLevel', reason: 'invalid_value' },
    ]);
  });

  it('P4.3.1 should propose moves that never exceed the holdings and pass its own checks', () => {
    fc.assert(
      fc.property(holdings, (hs) => {
        const moves = proposeMoves(hs);
        expect(checkMoves(hs, moves)).toEqual([]);
        const byId = new Map(hs.map((h) => [h.id, h.amountMinor]));
        for (const m of moves) expect(m.amountMinor).toBeLessThanOrEqual(byId.get(m.holdingId) ?? -1);
      }),
    );
  });

  it('P4.3.1 should conserve the total and never add high risk, for proposed and for any accepted moves', () => {
    const anyMoves = (hs: PlanHolding[]) =>
      fc.array(
        fc.record({
          holdingId: hs.length > 0 ? fc.constantFrom(...hs.map((h) => h.id)) : fc.constant('none'),
          amountMinor: fc.integer({ min: 1, max: 10_000_000_000 }),
          toRiskLevel: fc.constantFrom('R1' as const, 'R2' as const),
        }),
        { maxLength: 8 },
      );
    fc.assert(
      fc.property(
        holdings.chain((hs) => fc.tuple(fc.constant(hs), anyMoves(hs))),
        ([hs, random]) => {
          for (const moves of [proposeMoves(hs), random]) {
            if (checkMoves(hs, moves).length > 0) continue;
            const before = allocationOf(hs);
            const after = applyMoves(hs, moves);
            expect(totalOf(after)).toBe(totalOf(before));
            expect(after.R4 + after.R5).toBeLessThanOrEqual(before.R4 + before.R5);
            expect(after.R3 + after.R4 + after.R5).toBeLessThanOrEqual(before.R3 + before.R4 + before.R5);
            for (const l of RISK_LEVELS) expect(after[l]).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('P4.3.1 should leave no R4–R5 and at most the target share of R3 after the proposed moves', () => {
    fc.assert(
      fc.property(holdings, (hs) => {
        const { after } = planFor(hs);
        expect(after.R4 + after.R5).toBe(0);
        expect(after.R3 * 10_000).toBeLessThanOrEqual(totalOf(after) * DEFAULT_PLAN_RULE.r3MaxShareBp);
      }),
    );
  });
});
