import type { EChartsCoreOption } from 'echarts/core';
import { type CashflowDay, type Holding, RISK_LEVELS, type RiskLevel } from '../../api/types';
import { formatMinor, minorDigits } from '../../i18n/format';

// Calm, colour-blind-friendly pair for money in and out; risk runs from green to red.
const INFLOW = '#2f6db5';
const OUTFLOW = '#d98b2b';
const RISK_COLOURS: Record<RiskLevel, string> = { R1: '#3c8d5a', R2: '#84a94b', R3: '#d9b23c', R4: '#dd7a35', R5: '#c0483f' };
const AXIS = '#8a94a6';
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

interface Labels {
  inflow: string;
  outflow: string;
}

/** The 90-day daily inflow (up) and outflow (down) bars; the series hold minor units, labels divide for display. */
export function cashflowOption(days: readonly CashflowDay[], labels: Labels, locale: string): EChartsCoreOption {
  const currency = 'CNY';
  const scale = 10 ** minorDigits(currency);
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const money = (minor: number) => formatMinor(Math.abs(minor), currency, locale);
  return {
    textStyle: { fontFamily: FONT },
    color: [INFLOW, OUTFLOW],
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: '#3d4656' } },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value: unknown) => (typeof value === 'number' ? money(value) : ''),
    },
    xAxis: {
      type: 'category',
      data: days.map((d) => d.date),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#cfd5df' } },
      axisLabel: { color: AXIS, formatter: (value: string) => value.slice(5) },
    },
    yAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: '#edf0f4' } },
      axisLabel: { color: AXIS, formatter: (value: number) => compact.format(Math.abs(value) / scale) },
    },
    series: [
      { name: labels.inflow, type: 'bar', stack: 'flow', barMaxWidth: 8, data: days.map((d) => d.inflowMinor) },
      { name: labels.outflow, type: 'bar', stack: 'flow', barMaxWidth: 8, data: days.map((d) => -d.outflowMinor) },
    ],
  };
}

/** Market value of CNY holdings summed per risk level, in integer minor units. */
export function holdingsByRisk(holdings: readonly Holding[]): Record<RiskLevel, number> {
  const sums: Record<RiskLevel, number> = { R1: 0, R2: 0, R3: 0, R4: 0, R5: 0 };
  for (const h of holdings) {
    if (h.marketValue.currency === 'CNY') sums[h.riskLevel] += h.marketValue.amountMinor;
  }
  return sums;
}

/** The donut of holdings by risk level R1–R5. */
export function riskOption(sums: Record<RiskLevel, number>, riskName: (level: RiskLevel) => string, locale: string): EChartsCoreOption {
  const levels = RISK_LEVELS.filter((level) => sums[level] > 0);
  return {
    textStyle: { fontFamily: FONT },
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number; percent: number }) =>
        `${p.name}<br/>${formatMinor(p.value, 'CNY', locale)} (${p.percent.toFixed(1)}%)`,
    },
    legend: { orient: 'vertical', right: 0, top: 'middle', itemWidth: 10, itemHeight: 10, textStyle: { color: '#3d4656' } },
    series: [
      {
        type: 'pie',
        radius: ['48%', '72%'],
        center: ['36%', '50%'],
        avoidLabelOverlap: true,
        label: { show: false },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        data: levels.map((level) => ({ name: riskName(level), value: sums[level], itemStyle: { color: RISK_COLOURS[level] } })),
      },
    ],
  };
}
