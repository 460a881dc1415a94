import type { EChartsCoreOption } from 'echarts/core';
import type { Instalment } from '../../../../src/domain/loan-schedule';
import { formatMinor, minorDigits } from '../../i18n/format';

const PRINCIPAL = '#2f6db5';
const INTEREST = '#d98b2b';
const BALANCE = '#8a94a6';
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** Each instalment's principal and interest stacked, with the balance owed after it as a line. */
export function scheduleOption(
  items: readonly Instalment[],
  labels: { principal: string; interest: string; balance: string },
  locale: string,
): EChartsCoreOption {
  const scale = 10 ** minorDigits('CNY');
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return {
    textStyle: { fontFamily: FONT },
    color: [PRINCIPAL, INTEREST, BALANCE],
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? formatMinor(value, 'CNY', locale) : ''),
    },
    xAxis: { type: 'category', data: items.map((i) => i.dueOn.slice(0, 7)), axisTick: { show: false } },
    yAxis: [
      { type: 'value', axisLabel: { formatter: (v: number) => compact.format(v / scale) } },
      { type: 'value', splitLine: { show: false }, axisLabel: { formatter: (v: number) => compact.format(v / scale) } },
    ],
    series: [
      { name: labels.principal, type: 'bar', stack: 'paid', barMaxWidth: 14, data: items.map((i) => i.principalMinor) },
      { name: labels.interest, type: 'bar', stack: 'paid', barMaxWidth: 14, data: items.map((i) => i.interestMinor) },
      { name: labels.balance, type: 'line', yAxisIndex: 1, symbol: 'none', data: items.map((i) => i.balanceMinor) },
    ],
  };
}
