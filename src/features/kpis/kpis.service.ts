import ExcelJS from 'exceljs';
import { addDays } from '../../domain/case-rules.js';
import { addMonthsClamped } from '../../domain/loan-schedule.js';
import {
  alertContactedWithinTarget,
  ciLoans30dpd,
  dutiesOnTime,
  type Kpi,
  GAP_NAMES,
  KPI_NAMES,
  leadVerifiedOnTime,
  loansRestructured,
  notRecordedKpi,
  type Period,
  serviceHandlingHoursMedian,
  serviceOverdueRate,
} from '../../domain/kpis.js';
import type { Executor } from '../../platform/db/database.js';
import { type Actor, type AppContext, bankDay } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { alertContactFacts } from '../alerts/alerts.service.js';
import { activeCaseFacts, caseFactsByIds } from '../case-access/case-access.service.js';
import { customerLoans } from '../customers/customers.service.js';
import { leadTimingFacts } from '../leads/upkeep.service.js';
import { serviceTimingFacts } from '../services/lookups.service.js';
import { businessHoursOf } from '../services/requests.service.js';
import { type BranchRef, branches } from '../staff/staff.service.js';
import { dutyTimingFacts } from '../work/upkeep.service.js';
import type { KpiView } from './kpis.schemas.js';

// The indicators of P8.2 (docs/kpis.md): each feature answers the facts of a period, the rules in
// domain/kpis.ts count them. Nothing medical and no names leave this feature: only counts.

/** The instant a bank day starts (local midnight at the bank's offset). */
function startOf(ctx: AppContext, day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) - ctx.config.businessHours.offsetMinutes * 60_000).toISOString();
}

/** The branch an actor may see the indicators of: a supervisor their own, an inspector any or all (null). */
async function branchFor(db: Executor, actor: Actor, code: string | undefined): Promise<BranchRef | null> {
  const all = (await branches(db)).items;
  if (actor.roles.includes('inspector')) {
    if (code === undefined) return null;
    const found = all.find((b) => b.code.toUpperCase() === code.toUpperCase());
    if (!found) throw new AppError('NOT_FOUND', 'no such branch');
    return found;
  }
  const own = all.find((b) => b.id === actor.branchId);
  if (!own || (code !== undefined && own.code.toUpperCase() !== code.toUpperCase()))
    throw new AppError('FORBIDDEN', 'a supervisor sees the indicators of their own branch');
  return own;
}

/** The indicators of one branch (or all, null) over `[from, to]`, as of now or the period's end. */
async function indicatorsOf(ctx: AppContext, db: Executor, branch: BranchRef | null, from: string, to: string): Promise<Kpi[]> {
  const nowIso = ctx.now().toISOString();
  const untilInstant = startOf(ctx, addDays(to, 1));
  // ISO instants and days sort as strings: the earlier of the two is the first.
  const period: Period = { fromInstant: startOf(ctx, from), untilInstant, asOf: [nowIso, untilInstant].sort()[0] ?? untilInstant };
  const q = { fromInstant: period.fromInstant, untilInstant, branchId: branch?.id ?? null };
  const today = bankDay(ctx);
  const [leads, services, alerts, duties, customers] = await Promise.all([
    leadTimingFacts(db, q),
    serviceTimingFacts(db, q),
    alertContactFacts(ctx, db, q),
    dutyTimingFacts(ctx, db, { from, to }),
    activeCaseFacts(db, q.branchId ?? undefined),
  ]);
  let branchDuties = duties;
  if (branch) {
    const ofBranch = new Set(
      (await caseFactsByIds(db, new Set(duties.map((d) => d.caseId)))).filter((c) => c.branchId === branch.id).map((c) => c.id),
    );
    branchDuties = duties.filter((d) => ofBranch.has(d.caseId));
  }
  return [
    notRecordedKpi('satisfaction_mean', 'score'),
    notRecordedKpi('satisfaction_response_rate', 'ratio'),
    leadVerifiedOnTime(leads, period),
    serviceHandlingHoursMedian(services, period, businessHoursOf(ctx)),
    serviceOverdueRate(services, period),
    alertContactedWithinTarget(alerts.alerts, alerts.targetHours, period),
    dutiesOnTime(branchDuties, { from, to, asOfDay: [today, addDays(to, 1)].sort()[0] ?? today }),
    ciLoans30dpd(
      (
        await customerLoans(
          db,
          customers.map((c) => c.customerId),
        )
      ).map((l) => ({ daysPastDue: l.days_past_due, status: l.status })),
    ),
    loansRestructured(services, period),
  ];
}

/** `GET /api/v1/kpis` (API.md "Indicators"). */
export async function kpis(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  q: { from: string; to: string; branch?: string },
): Promise<KpiView> {
  const branch = await branchFor(db, actor, q.branch);
  return { from: q.from, to: q.to, branch: branch?.code ?? null, indicators: await indicatorsOf(ctx, db, branch, q.from, q.to) };
}

/** The calendar months `[from, to]` touches, each cut to the period. */
function monthsOf(from: string, to: string): { from: string; to: string; label: string }[] {
  const out: { from: string; to: string; label: string }[] = [];
  let start = from;
  while (start <= to) {
    const next = addMonthsClamped(`${start.slice(0, 7)}-01`, 1);
    const end = addDays(next, -1) < to ? addDays(next, -1) : to;
    out.push({ from: start, to: end, label: start.slice(0, 7) });
    start = next;
  }
  return out;
}

/**
 * `GET /api/v1/kpis/export`: the same indicators as an XLSX workbook, one sheet per month and
 * branch (every branch for an inspector who names none), in the reader's language.
 */
export async function kpiWorkbook(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  q: { from: string; to: string; branch?: string; locale?: 'zh-CN' | 'en' },
): Promise<Buffer> {
  const chosen = await branchFor(db, actor, q.branch);
  const targets = chosen ? [chosen] : (await branches(db)).items;
  const zh = (q.locale ?? 'zh-CN') === 'zh-CN';
  const book = new ExcelJS.Workbook();
  book.creator = 'Lifeline';
  book.created = ctx.now();
  for (const month of monthsOf(q.from, q.to)) {
    for (const branch of targets) {
      const sheet = book.addWorksheet(`${month.label} ${branch.code}`.slice(0, 31));
      sheet.columns = [
        { header: zh ? '指标' : 'Indicator', key: 'name', width: 36 },
        { header: zh ? '数值' : 'Value', key: 'value', width: 12 },
        { header: zh ? '分子' : 'Numerator', key: 'numerator', width: 12 },
        { header: zh ? '分母' : 'Denominator', key: 'denominator', width: 12 },
        { header: zh ? '说明' : 'Note', key: 'note', width: 40 },
      ];
      sheet.addRow({ name: zh ? `${branch.nameZh} ${month.from} 至 ${month.to}` : `${branch.nameEn} ${month.from} to ${month.to}` });
      for (const k of await indicatorsOf(ctx, db, branch, month.from, month.to)) {
        const row = sheet.addRow({
          name: zh ? KPI_NAMES[k.id].zh : KPI_NAMES[k.id].en,
          value: k.value,
          numerator: k.numerator,
          denominator: k.denominator,
          note: k.gap ? (zh ? GAP_NAMES[k.gap].zh : GAP_NAMES[k.gap].en) : '',
        });
        if (k.unit === 'ratio') row.getCell('value').numFmt = '0.0%';
      }
    }
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
