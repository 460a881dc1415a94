/**
 * How a lead is matched to a customer (issue 3, point 1): the strongest method that finds exactly
 * one customer wins. An identifier that finds several customers (a family sharing a phone, two
 * namesakes born the same day) says nothing about which one is meant, so it is passed over.
 */

export const MATCH_METHODS = ['customer_number', 'national_id', 'phone', 'name_dob', 'manual'] as const;
export type MatchMethod = (typeof MATCH_METHODS)[number];
export const MATCH_STRENGTHS = ['exact', 'strong', 'probable'] as const;
export type MatchStrength = (typeof MATCH_STRENGTHS)[number];

/** The automatic methods in the order they are tried, with the strength each gives. */
export const AUTOMATIC_METHODS: readonly { method: Exclude<MatchMethod, 'manual'>; strength: MatchStrength }[] = [
  { method: 'customer_number', strength: 'exact' },
  { method: 'national_id', strength: 'exact' },
  { method: 'phone', strength: 'strong' },
  { method: 'name_dob', strength: 'probable' },
];

/** A supervisor's match by hand: they have looked at the customer, so it is as good as exact. */
export const MANUAL_STRENGTH: MatchStrength = 'exact';

/** The customers each method found (a method not tried is absent). */
export type MatchLookups = Partial<Record<Exclude<MatchMethod, 'manual'>, readonly string[]>>;

/** The chosen match, or null when no method found exactly one customer. */
export function pickMatch(found: MatchLookups): { customerId: string; method: MatchMethod; strength: MatchStrength } | null {
  for (const { method, strength } of AUTOMATIC_METHODS) {
    const ids = [...new Set(found[method] ?? [])];
    const only = ids[0];
    if (ids.length === 1 && only !== undefined) return { customerId: only, method, strength };
  }
  return null;
}
