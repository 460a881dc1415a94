import type { EChartsCoreOption } from 'echarts/core';
import type { Instalment } from '../../../../src/domain/loan-schedule';
import { formatMinor, minorDigits } from '../../i18n/format';

const OLD = '#8a94a6';
const NEW = '#2f6db5';
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** The old and the new schedule month by month: each one's instalment as bars and its balance owed as a line. */
export function restructuringOption(
  before: readonly Instalment[],
  after: readonly Instalment[],
  labels: { oldInstalment: string; newInstalment: string; oldBalance: string; newBalance: string },
  locale: string,
): EChartsCoreOption {
  const scale = 10 ** minorDigits('CNY');
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const longer = after.length >= before.length ? after : before;
  const at = (items: readonly Instalment[], pick: (i: Instalment) => number) => longer.map((_, k) => (items[k] ? pick(items[k]) : null));
  return {
    textStyle: { fontFamily: FONT },
    color: [OLD, NEW, OLD, NEW],
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
    grid: { left: 8, right: 8, top: 32, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? formatMinor(value, 'CNY', locale) : ''),
    },
    xAxis: { type: 'category', data: longer.map((i) => i.dueOn.slice(0, 7)), axisTick: { show: false } },
    yAxis: [
      { type: 'value', axisLabel: { formatter: (v: number) => compact.format(v / scale) } },
      { type: 'value', splitLine: { show: false }, axisLabel: { formatter: (v: number) => compact.format(v / scale) } },
    ],
    series: [
      { name: labels.oldInstalment, type: 'bar', barMaxWidth: 10, data: at(before, (i) => i.totalMinor) },
      { name: labels.newInstalment, type: 'bar', barMaxWidth: 10, data: at(after, (i) => i.totalMinor) },
      {
        name: labels.oldBalance,
        type: 'line',
        yAxisIndex: 1,
        symbol: 'none',
        lineStyle: { type: 'dashed' },
        data: at(before, (i) => i.balanceMinor),
      },
      { name: labels.newBalance, type: 'line', yAxisIndex: 1, symbol: 'none', data: at(after, (i) => i.balanceMinor) },
    ],
  };
}
