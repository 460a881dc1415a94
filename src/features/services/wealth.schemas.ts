import { z } from 'zod';
import { Id } from '../../platform/http/text.js';
import { CONSERVATIVE_LEVELS, RISK_LEVELS } from '../../domain/wealth-plan.js';

const Allocation = z.object({ R1: z.number(), R2: z.number(), R3: z.number(), R4: z.number(), R5: z.number() });

const Move = z.object({ holdingId: z.string(), amountMinor: z.number().int(), toRiskLevel: z.enum(CONSERVATIVE_LEVELS) });

/** The adjusted moves of a preview; the rules (≤ the holding, to a conservative level below it) are checked in the service. */
export const PreviewBody = z.strictObject({
  moves: z
    .array(
      z.strictObject({
        holdingId: Id,
        amountMinor: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
        toRiskLevel: z.enum(CONSERVATIVE_LEVELS),
      }),
    )
    .max(50),
});

export const WealthPlanView = z.object({
  caseId: z.string(),
  /** The rule the proposal follows (docs/wealth-replanning.md). */
  rule: z.object({ r3MaxSharePercent: z.number(), highRiskTo: z.enum(CONSERVATIVE_LEVELS), r3ExcessTo: z.enum(CONSERVATIVE_LEVELS) }),
  holdings: z.array(
    z.object({
      id: z.string(),
      productName: z.string(),
      productCode: z.string(),
      riskLevel: z.enum(RISK_LEVELS),
      currency: z.string(),
      marketValueMinor: z.number(),
    }),
  ),
  /** One plan per currency: holdings of different currencies are never added up. */
  currencies: z.array(z.object({ currency: z.string(), before: Allocation, moves: z.array(Move), after: Allocation })),
  /** All moves together, in the shape a wealth_replan request's `details.moves` takes. */
  moves: z.array(Move),
});
