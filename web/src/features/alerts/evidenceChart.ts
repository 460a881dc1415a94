import type { EChartsCoreOption } from 'echarts/core';
import { formatInstant, formatMinor, minorDigits } from '../../i18n/format';
import type { AlertDetail } from './api';

const FLAGGED_COLOUR = '#c0392b';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** ECharts tooltips are HTML; counterparty names come from bank files and must stay text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
const OTHER_COLOUR = '#7f8c9a';

/** The customer's outflows of the 30 days up to the flagged one, as bars in time order; the flagged one in its own colour. */
export function evidenceOption(
  alert: AlertDetail,
  labels: { amount: string; channel: (channel: string) => string },
  locale: string,
): EChartsCoreOption {
  const scale = 10 ** minorDigits(alert.transaction.currency);
  const rows = alert.outflows;
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const o = rows[p.dataIndex];
        if (!o) return '';
        const who = o.counterpartyName ? ` · ${o.counterpartyName}` : '';
        return `${escapeHtml(formatInstant(o.bookedAt, locale))}<br/>${escapeHtml(`${formatMinor(o.amountMinor, o.currency, locale)} · ${labels.channel(o.channel)}${who}`)}`;
      },
    },
    grid: { left: 64, right: 16, top: 16, bottom: 48 },
    xAxis: {
      type: 'category',
      data: rows.map((o) => o.bookedAt.slice(5, 16).replace('T', ' ')),
      axisLabel: { rotate: 30 },
    },
    yAxis: { type: 'value', name: labels.amount },
    series: [
      {
        type: 'bar',
        barMaxWidth: 32,
        data: rows.map((o) => ({ value: o.amountMinor / scale, itemStyle: { color: o.flagged ? FLAGGED_COLOUR : OTHER_COLOUR } })),
      },
    ],
  };
}
