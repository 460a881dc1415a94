import { type BusinessHours, businessHoursBetween } from './business-hours.js';

/**
 * The policy's indicators (P8.2) as pure functions over the facts of a period; their definitions
 * are in docs/kpis.md, and these functions are what those words mean. Instants are ISO strings,
 * days `YYYY-MM-DD` on the bank's calendar; `asOf` is the moment the indicators are computed for
 * (the period's end, or now when the period has not ended), so nothing still on time is late.
 */

export const KPI_IDS = [
  'satisfaction_mean',
  'satisfaction_response_rate',
  'lead_verified_on_time_rate',
  'service_handling_hours_median',
  'service_overdue_rate',
  'alert_contacted_within_target_rate',
  'duties_on_time_rate',
  'ci_loans_30dpd_rate',
  'loans_restructured',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export type KpiUnit = 'score' | 'ratio' | 'hours' | 'count';

/** The indicators' names in both languages, for what the server writes itself (the XLSX export). */
export const KPI_NAMES: Record<KpiId, { zh: string; en: string }> = {
  satisfaction_mean: { zh: '客户满意度（平均分）', en: 'Satisfaction (mean score)' },
  satisfaction_response_rate: { zh: '满意度回访应答率', en: 'Satisfaction response rate' },
  lead_verified_on_time_rate: { zh: '线索按时核实率', en: 'Leads verified on time' },
  service_handling_hours_median: { zh: '服务办理时长中位数（工作小时）', en: 'Service handling time, median (business hours)' },
  service_overdue_rate: { zh: '逾期业务发生率', en: 'Business handled late' },
  alert_contacted_within_target_rate: { zh: '资金预警按时联系率', en: 'Alerts contacted within target' },
  duties_on_time_rate: { zh: '服务职责按时完成率', en: 'Duties done on time' },
  ci_loans_30dpd_rate: { zh: '重疾客户贷款逾期30天以上占比', en: 'Registered customers’ loans 30+ days past due' },
  loans_restructured: { zh: '贷款重组笔数', en: 'Loans restructured' },
};

/** Why an indicator has no value: its source is not recorded yet, or nothing fell in the period. */
export type KpiGap = 'not_recorded_yet' | 'no_denominator' | 'no_data';

/** Why a value is missing, in both languages. */
export const GAP_NAMES: Record<KpiGap, { zh: string; en: string }> = {
  not_recorded_yet: { zh: '系统尚未记录此数据来源', en: 'Lifeline does not record its source yet' },
  no_denominator: { zh: '本期没有可计算的业务', en: 'Nothing to count in the period' },
  no_data: { zh: '本期没有数据', en: 'No data in the period' },
};

/** One indicator's answer: a rate with no denominator is null, never 0. */
export interface Kpi {
  id: KpiId;
  value: number | null;
  numerator?: number;
  denominator?: number;
  unit: KpiUnit;
  gap?: KpiGap;
}

/** A share, rounded to four places; null with the gap when nothing was counted. */
export function rateKpi(id: KpiId, numerator: number, denominator: number): Kpi {
  if (denominator === 0) return { id, value: null, numerator, denominator, unit: 'ratio', gap: 'no_denominator' };
  return { id, value: Math.round((numerator / denominator) * 10_000) / 10_000, numerator, denominator, unit: 'ratio' };
}

/** An indicator whose source Lifeline does not record yet. */
export function notRecordedKpi(id: KpiId, unit: KpiUnit): Kpi {
  return { id, value: null, unit, gap: 'not_recorded_yet' };
}

const within = (instant: string, from: string, until: string) => instant >= from && instant < until;

/** The period as instants: `[from 00:00, to + 1 day 00:00)` on the bank's calendar. */
export interface Period {
  fromInstant: string;
  untilInstant: string;
  asOf: string;
}

/**
 * Leads verified on time (P2.3, two business days): of the leads raised in the period, those
 * decided by their deadline. A lead still undecided counts as late once its deadline has passed,
 * and is left out while it has not.
 */
export function leadVerifiedOnTime(leads: readonly { createdAt: string; dueAt: string; decidedAt: string | null }[], p: Period): Kpi {
  let onTime = 0;
  let counted = 0;
  for (const l of leads) {
    if (!within(l.createdAt, p.fromInstant, p.untilInstant)) continue;
    if (l.decidedAt !== null && l.decidedAt <= p.asOf) {
      counted += 1;
      if (l.decidedAt <= l.dueAt) onTime += 1;
    } else if (l.dueAt < p.asOf) counted += 1;
  }
  return rateKpi('lead_verified_on_time_rate', onTime, counted);
}

export interface ServiceFact {
  type: string;
  status: string;
  requestedAt: string;
  dueAt: string;
  decidedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
}

/** The median of business hours from request to completion, over the requests completed in the period. */
export function serviceHandlingHoursMedian(requests: readonly ServiceFact[], p: Period, bh: BusinessHours): Kpi {
  const hours = requests
    .filter((r) => r.completedAt !== null && within(r.completedAt, p.fromInstant, p.untilInstant) && r.completedAt <= p.asOf)
    .map((r) => businessHoursBetween(new Date(r.requestedAt), new Date(r.completedAt ?? r.requestedAt), bh))
    .sort((a, b) => a - b);
  if (hours.length === 0) return { id: 'service_handling_hours_median', value: null, unit: 'hours', gap: 'no_data', denominator: 0 };
  const mid = Math.floor(hours.length / 2);
  const median = hours.length % 2 === 1 ? (hours[mid] ?? 0) : ((hours[mid - 1] ?? 0) + (hours[mid] ?? 0)) / 2;
  return { id: 'service_handling_hours_median', value: Math.round(median * 10) / 10, denominator: hours.length, unit: 'hours' };
}

/**
 * Business handled late (P8.2.2 逾期业务发生率: SLA breaches, not loan arrears): of the requests that
 * came due in the period, those not completed by their due time. Cancelled ones are left out.
 */
export function serviceOverdueRate(requests: readonly ServiceFact[], p: Period): Kpi {
  let late = 0;
  let due = 0;
  for (const r of requests) {
    if (r.cancelledAt !== null && r.cancelledAt <= r.dueAt) continue;
    if (!within(r.dueAt, p.fromInstant, p.untilInstant) || r.dueAt > p.asOf) continue;
    due += 1;
    if (r.completedAt === null || r.completedAt > r.dueAt) late += 1;
  }
  return rateKpi('service_overdue_rate', late, due);
}

/**
 * Fund-safety alerts whose customer was reached within the target (P7.2.1): of the alerts raised in
 * the period, those contacted within `targetHours`. One not contacted counts as late once its
 * target has passed.
 */
export function alertContactedWithinTarget(
  alerts: readonly { raisedAt: string; contactedAt: string | null }[],
  targetHours: number,
  p: Period,
): Kpi {
  let onTime = 0;
  let counted = 0;
  for (const a of alerts) {
    if (!within(a.raisedAt, p.fromInstant, p.untilInstant)) continue;
    const target = new Date(Date.parse(a.raisedAt) + targetHours * 3_600_000).toISOString();
    if (a.contactedAt !== null && a.contactedAt <= p.asOf) {
      counted += 1;
      if (a.contactedAt <= target) onTime += 1;
    } else if (target < p.asOf) counted += 1;
  }
  return rateKpi('alert_contacted_within_target_rate', onTime, counted);
}

/**
 * Team duties done on time (P3.2): of the generated duties due in the period (and due by `asOfDay`),
 * those completed on or before their due day. Cancelled duties are left out.
 */
export function dutiesOnTime(
  tasks: readonly { dueOn: string; status: 'open' | 'done' | 'cancelled'; completedOn: string | null }[],
  p: { from: string; to: string; asOfDay: string },
): Kpi {
  let onTime = 0;
  let counted = 0;
  for (const t of tasks) {
    if (t.status === 'cancelled' || t.dueOn < p.from || t.dueOn > p.to || t.dueOn >= p.asOfDay) continue;
    counted += 1;
    if (t.status === 'done' && t.completedOn !== null && t.completedOn <= t.dueOn) onTime += 1;
  }
  return rateKpi('duties_on_time_rate', onTime, counted);
}

/** Registered customers' loans 30 or more days past due, of their loans not closed (as imported now). */
export function ciLoans30dpd(loans: readonly { daysPastDue: number; status: string }[]): Kpi {
  const open = loans.filter((l) => l.status !== 'closed');
  return rateKpi('ci_loans_30dpd_rate', open.filter((l) => l.daysPastDue >= 30).length, open.length);
}

/** Loans restructured (P7.1.1): restructuring requests approved in the period. */
export function loansRestructured(requests: readonly ServiceFact[], p: Period): Kpi {
  const approved = requests.filter(
    (r) =>
      r.type === 'restructuring' &&
      r.decidedAt !== null &&
      ['approved', 'in_progress', 'completed'].includes(r.status) &&
      within(r.decidedAt, p.fromInstant, p.untilInstant),
  );
  return { id: 'loans_restructured', value: approved.length, unit: 'count' };
}
