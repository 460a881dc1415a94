/**
 * Pure P3.3 rules (no I/O). They belong in src/domain/ by the house rules; kept beside the
 * feature while other work owns that folder (docs/training.md).
 */

export const COURSE_KINDS = [
  'illness_knowledge',
  'communication',
  'policy',
  'medical_expert_lecture',
  'psychologist_lecture',
  'external',
  /** P7.3.2: operational risk and compliance awareness, required of every role once a year. */
  'risk_compliance',
] as const;
export type CourseKind = (typeof COURSE_KINDS)[number];

/** One course a staff member attended. */
export interface Attended {
  kind: CourseKind;
  heldOn: string;
  hoursTenths: number;
}

/** The first day of the 12-month window that ends on `today` (YYYY-MM-DD): the day after the same date a year before. */
export function windowStart(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  const y = d.getUTCFullYear() - 1;
  const m = d.getUTCMonth();
  // 29 February a year back is 28 February (or 1 March); the window then starts the day after.
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const back = new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
  back.setUTCDate(back.getUTCDate() + 1);
  return back.toISOString().slice(0, 10);
}

/** A staff member's standing: courses and hours in the 12 months to `today`, and whether P3.3 is met. */
export function trainingStanding(attended: readonly Attended[], today: string, hoursPerYear: number) {
  const from = windowStart(today);
  const inWindow = attended.filter((a) => a.heldOn >= from && a.heldOn <= today);
  const tenths = inWindow.reduce((sum, a) => sum + a.hoursTenths, 0);
  const lastIllness = inWindow
    .filter((a) => a.kind === 'illness_knowledge')
    .map((a) => a.heldOn)
    .sort()
    .at(-1);
  const lastRisk = inWindow
    .filter((a) => a.kind === 'risk_compliance')
    .map((a) => a.heldOn)
    .sort()
    .at(-1);
  const hoursMet = tenths >= Math.round(hoursPerYear * 10);
  const illnessKnowledgeOverdue = lastIllness === undefined;
  return {
    courses: inWindow.length,
    hours: tenths / 10,
    hoursMet,
    lastIllnessKnowledgeOn: lastIllness ?? null,
    illnessKnowledgeOverdue,
    // P7.3.2: reported beside the P3.3 standing, not folded into it (docs/training.md).
    lastRiskComplianceOn: lastRisk ?? null,
    riskComplianceOverdue: lastRisk === undefined,
    status: hoursMet && !illnessKnowledgeOverdue ? ('trained' as const) : ('overdue' as const),
  };
}
