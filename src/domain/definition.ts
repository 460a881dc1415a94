import { isConditionCategory } from './conditions.js';

/** Money in minor units (fen) of one currency. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/**
 * The supervisor's finding against each part of P2.1's definition of a critical-illness customer:
 * a major illness, serious injury or other major circumstance (the condition category) that
 * seriously affects the customer's life OR finances — each part judged, with the figures that show
 * the effect on the finances, or why they are not known.
 */
export interface DefinitionFinding {
  conditionCategory: string;
  lifeAffected: boolean;
  /** How life is affected (work, care, mobility…): required when it is. */
  lifeEffect?: string;
  financesAffected: boolean;
  finances?: { lostIncome?: Money; medicalCosts?: Money; debts?: Money };
  /** Why the figures are not known (yet): required when the finances are affected and no figure is given. */
  financesUnknownReason?: string;
}

/** A part of the finding that does not hold, by the path of the field. */
export interface DefinitionProblem {
  path: string;
  reason: 'unknown_category' | 'not_seriously_affected' | 'life_effect_missing' | 'figures_or_reason_missing';
}

/** Judges a finding against P2.1: the problems that keep it from confirming the lead (none: it meets the definition). */
export function judgeDefinition(f: DefinitionFinding): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  if (!isConditionCategory(f.conditionCategory)) problems.push({ path: 'conditionCategory', reason: 'unknown_category' });
  if (!f.lifeAffected && !f.financesAffected) problems.push({ path: 'lifeAffected', reason: 'not_seriously_affected' });
  if (f.lifeAffected && (f.lifeEffect ?? '').trim() === '') problems.push({ path: 'lifeEffect', reason: 'life_effect_missing' });
  const figures = Object.values(f.finances ?? {}).filter((m) => m !== undefined && m.amountMinor > 0);
  if (f.financesAffected && figures.length === 0 && (f.financesUnknownReason ?? '').trim() === '') {
    problems.push({ path: 'finances', reason: 'figures_or_reason_missing' });
  }
  return problems;
}
