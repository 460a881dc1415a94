import type { EChartsCoreOption } from 'echarts/core';
import { RISK_LEVELS, type RiskLevel } from '../../api/types';
import { formatMinor, minorDigits } from '../../i18n/format';

// The customer page's colours for risk (green to red), so a level looks the same everywhere.
const RISK_COLOURS: Record<RiskLevel, string> = { R1: '#3c8d5a', R2: '#84a94b', R3: '#d9b23c', R4: '#dd7a35', R5: '#c0483f' };
const AXIS = '#8a94a6';
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** Money by risk level, in minor units. */
export type Allocation = Record<RiskLevel, number>;

/**
 * Two stacked bars, before and after the moves, one stack segment per risk level: the shift from
 * red to green is what the plan does. Series hold minor units; labels divide for display.
 */
export function allocationOption(
  currency: string,
  before: Allocation,
  after: Allocation,
  labels: { before: string; after: string; level: (level: RiskLevel) => string },
  locale: string,
): EChartsCoreOption {
  const scale = 10 ** minorDigits(currency);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return {
    textStyle: { fontFamily: FONT },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: '#3d4656' } },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value: unknown) => (typeof value === 'number' ? formatMinor(value, currency, locale) : ''),
    },
    xAxis: {
      type: 'category',
      data: [labels.before, labels.after],
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#cfd5df' } },
      axisLabel: { color: AXIS },
    },
    yAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: '#edf0f4' } },
      axisLabel: { color: AXIS, formatter: (value: number) => compact.format(value / scale) },
    },
    series: RISK_LEVELS.map((level) => ({
      name: labels.level(level),
      type: 'bar',
      stack: 'allocation',
      barMaxWidth: 72,
      itemStyle: { color: RISK_COLOURS[level] },
      data: [before[level], after[level]],
    })),
  };
}

/** Minor units from what a person typed in major units (e.g. "1234.5" → 123450); null when it is not an amount. */
export function minorFromInput(input: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const trimmed = input.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  const [whole = '0', fraction = ''] = trimmed.split('.');
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Major units for an input from minor units (123450 → "1234.50"). */
export function inputFromMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}
