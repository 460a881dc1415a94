import type { EChartsCoreOption } from 'echarts/core';
import { formatDay, formatMinor, minorDigits } from '../../i18n/format';

const INFLOW = '#2f6db5';
const INSTALMENTS = '#c0392b';
const NEEDED = '#d98b2b';
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** One 30-day period of the customer's inflows, in fen. */
export interface InflowPeriod {
  from: string;
  to: string;
  inflowMinor: number;
}

/**
 * The customer's inflows per 30 days as bars, against their instalments a month and the inflow
 * that would cover them (twice the instalments: the watch's 50 % rule) as lines.
 */
export function loanWatchOption(
  periods: readonly InflowPeriod[],
  monthlyDebtMinor: number,
  labels: { inflow: string; instalments: string; needed: string },
  locale: string,
): EChartsCoreOption {
  const scale = 10 ** minorDigits('CNY');
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return {
    textStyle: { fontFamily: FONT },
    color: [INFLOW, INSTALMENTS, NEEDED],
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? formatMinor(value, 'CNY', locale) : ''),
    },
    xAxis: {
      type: 'category',
      data: periods.map((p) => `${formatDay(p.from, locale)} – ${formatDay(p.to, locale)}`),
      axisTick: { show: false },
      axisLabel: { interval: 0, fontSize: 10, width: 90, overflow: 'break' },
    },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => compact.format(v / scale) } },
    series: [
      { name: labels.inflow, type: 'bar', barMaxWidth: 28, data: periods.map((p) => p.inflowMinor) },
      { name: labels.instalments, type: 'line', symbol: 'none', data: periods.map(() => monthlyDebtMinor) },
      {
        name: labels.needed,
        type: 'line',
        symbol: 'none',
        lineStyle: { type: 'dashed' },
        data: periods.map(() => monthlyDebtMinor * 2),
      },
    ],
  };
}
