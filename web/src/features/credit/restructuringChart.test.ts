import { describe, expect, it } from 'vitest';
import { restructuringOption } from './restructuringChart';

const inst = (n: number, total: number, balance: number) => ({
  n,
  dueOn: `2027-0${n}-28`,
  principalMinor: total,
  interestMinor: 0,
  totalMinor: total,
  balanceMinor: balance,
});

describe('restructuring chart', () => {
  it('should line up the old and the new schedule month by month, the shorter one left empty at the end', () => {
    const option = restructuringOption(
      [inst(1, 500, 500), inst(2, 500, 0)],
      [inst(1, 250, 750), inst(2, 250, 500), inst(3, 250, 250), inst(4, 250, 0)],
      { oldInstalment: 'old', newInstalment: 'new', oldBalance: 'old balance', newBalance: 'new balance' },
      'zh-CN',
      // The option is ECharts' loose type; this test reads the parts restructuringOption builds.
    ) as { xAxis: { data: string[] }; series: { name: string; data: (number | null)[] }[] };
    expect(option.xAxis.data).toHaveLength(4);
    expect(option.series.map((s) => s.name)).toEqual(['old', 'new', 'old balance', 'new balance']);
    expect(option.series[0]?.data).toEqual([500, 500, null, null]);
    expect(option.series[3]?.data).toEqual([750, 500, 250, 0]);
  });
});
