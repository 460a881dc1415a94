import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Kpi } from '../../../../src/domain/kpis';
import { get } from '../../api/client';
import { useBranches } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatCount } from '../../i18n/format';

interface KpiAnswer {
  from: string;
  to: string;
  branch: string | null;
  indicators: Kpi[];
}

/** The first and last day of a `YYYY-MM` month. */
function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/**
 * The indicators of P8.2 for a month (docs/kpis.md): a supervisor's own branch, an inspector's
 * chosen branch or all. Rates are drawn as bars; a value the policy asks for but Lifeline cannot
 * count yet says why instead of showing 0.
 */
export function KpisPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const monthId = useId();
  const branchId = useId();
  const inspector = user.roles.includes('inspector');
  const branchList = useBranches();
  const [month, setMonth] = useState(() => new Date().toLocaleDateString('sv-SE').slice(0, 7));
  const [branch, setBranch] = useState('');
  const { from, to } = monthRange(month);
  const query = `from=${from}&to=${to}${branch ? `&branch=${encodeURIComponent(branch)}` : ''}`;
  const answer = useQuery({ queryKey: ['kpis', query], queryFn: () => get<KpiAnswer>(`/api/v1/kpis?${query}`) });
  const locale = i18n.language;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

  const shown = (k: Kpi) => {
    if (k.value === null) return t(`kpis.gap.${k.gap ?? 'no_data'}`);
    if (k.unit === 'ratio') return percent.format(k.value);
    if (k.unit === 'hours') return t('kpis.hours', { count: k.value });
    return formatCount(k.value, locale);
  };

  const rates = (answer.data?.indicators ?? []).filter((k) => k.unit === 'ratio');
  const chart = useMemo(
    () => ({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => percent.format(v) },
      xAxis: { type: 'value', min: 0, max: 1, splitNumber: 4, axisLabel: { formatter: (v: number) => percent.format(v) } },
      // Long names are cut on a phone rather than squeezing the bars; the table below names them whole.
      yAxis: {
        type: 'category',
        inverse: true,
        data: rates.map((k) => t(`kpis.name.${k.id}`)),
        axisLabel: { width: 110, overflow: 'truncate' },
      },
      series: [{ type: 'bar', data: rates.map((k) => k.value ?? 0), itemStyle: { color: '#2563eb' } }],
    }),
    [rates, t, percent],
  );

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('kpis.title')}</h1>
          <p className="page-sub">{t('kpis.intro')}</p>
        </div>
        <a
          className="button"
          href={`/api/v1/kpis/export?${query}&locale=${locale.startsWith('en') ? 'en' : 'zh-CN'}`}
          data-testid="kpis-export"
        >
          {t('kpis.export')}
        </a>
      </header>
      <section className="card">
        <div className="form form-grid">
          <div className="field">
            <label htmlFor={monthId}>{t('kpis.month')}</label>
            <input id={monthId} type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
          </div>
          {inspector && (
            <div className="field">
              <label htmlFor={branchId}>{t('kpis.branch')}</label>
              <select id={branchId} value={branch} onChange={(e) => setBranch(e.target.value)} data-testid="kpis-branch">
                <option value="">{t('kpis.allBranches')}</option>
                {branchList.data?.items.map((b) => (
                  <option key={b.id} value={b.code}>
                    {locale.startsWith('en') ? b.nameEn : b.nameZh}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      </section>
      <ErrorNotice error={answer.error} />
      {answer.isPending ? (
        <Loading />
      ) : (
        answer.data && (
          <>
            <section className="card" aria-labelledby="kpis-rates">
              <h2 id="kpis-rates">{t('kpis.ratesTitle')}</h2>
              <EChart option={chart} label={t('kpis.ratesTitle')} height={Math.max(160, rates.length * 44)} />
            </section>
            <section className="card">
              <table className="table" data-testid="kpis-table">
                <thead>
                  <tr>
                    <th>{t('kpis.indicator')}</th>
                    <th>{t('kpis.value')}</th>
                    <th>{t('kpis.counted')}</th>
                  </tr>
                </thead>
                <tbody>
                  {answer.data.indicators.map((k) => (
                    <tr key={k.id} data-testid={`kpi-${k.id}`}>
                      <td>{t(`kpis.name.${k.id}`)}</td>
                      <td className={k.value === null ? 'muted' : undefined}>{shown(k)}</td>
                      <td>
                        {k.denominator !== undefined && k.denominator > 0
                          ? k.numerator !== undefined
                            ? t('kpis.ofTotal', {
                                numerator: formatCount(k.numerator, locale),
                                denominator: formatCount(k.denominator, locale),
                              })
                            : t('kpis.items', { count: k.denominator })
                          : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </>
        )
      )}
    </div>
  );
}
