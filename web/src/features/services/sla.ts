/** How a request stands against its time (P6.2.2), in business days and hours. */
export interface SlaParts {
  /** `left`: time remains; `overdue`: the time has passed; `done`: the request is finished. */
  state: 'left' | 'overdue' | 'done';
  days: number;
  hours: number;
  /** Less than an hour, left or late. */
  underAnHour: boolean;
}

/**
 * Splits the business hours left (negative once late; null when finished) into business days of
 * `dayHours` and the hours beyond them. The server's `overdue` wins over a zero count: a request due
 * at closing time is late overnight although no business hour has passed since.
 */
export function slaParts(r: { businessHoursLeft: number | null; businessDayHours: number; overdue: boolean }): SlaParts {
  if (r.businessHoursLeft === null) return { state: 'done', days: 0, hours: 0, underAnHour: false };
  const state = r.overdue || r.businessHoursLeft < 0 ? 'overdue' : 'left';
  const abs = Math.abs(r.businessHoursLeft);
  const wholeHours = Math.floor(abs + 1e-9);
  if (wholeHours < 1) return { state, days: 0, hours: 0, underAnHour: true };
  const perDay = r.businessDayHours > 0 ? r.businessDayHours : Number.POSITIVE_INFINITY;
  const days = Math.floor(wholeHours / perDay);
  return { state, days, hours: wholeHours - days * (Number.isFinite(perDay) ? perDay : 0), underAnHour: false };
}

/** The translation keys and values that say an SLA in words: the amount, then left or late. */
export function slaWords(p: SlaParts): { key: string; parts: { key: string; count: number }[] } {
  if (p.state === 'done') return { key: 'services.sla.done', parts: [] };
  const parts: { key: string; count: number }[] = [];
  if (p.underAnHour) parts.push({ key: 'services.sla.underAnHour', count: 0 });
  if (p.days > 0) parts.push({ key: p.days === 1 ? 'services.sla.day' : 'services.sla.days', count: p.days });
  if (p.hours > 0) parts.push({ key: p.hours === 1 ? 'services.sla.hour' : 'services.sla.hours', count: p.hours });
  return { key: p.state === 'overdue' ? 'services.sla.overdueBy' : 'services.sla.left', parts };
}
