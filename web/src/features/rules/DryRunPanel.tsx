import { useMutation } from '@tanstack/react-query';
import type { EChartsCoreOption } from 'echarts/core';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { useRuleName } from '../analysis/ruleText';
import { type ChangedCustomer, type DryRun, dryRun, type RuleSetSummary } from './api';

function CustomerTable({
  title,
  customers,
  count,
  testId,
}: {
  title: string;
  customers: ChangedCustomer[];
  count: number;
  testId: string;
}) {
  const { t } = useTranslation();
  const ruleName = useRuleName();
  const names = (ids: string[]) => ids.map(ruleName).join(t('alerts.listSeparator'));
  return (
    <div>
      <h4>
        {title} <span className="muted">({count})</span>
      </h4>
      {customers.length === 0 ? (
        <Empty>{count > 0 ? t('rules.dryRun.withheld') : t('rules.dryRun.none')}</Empty>
      ) : (
        <table className="table table-dense" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{t('rules.dryRun.customer')}</th>
              <th scope="col" className="num">
                {t('rules.dryRun.candidateScore')}
              </th>
              <th scope="col">{t('rules.dryRun.candidateRules')}</th>
              <th scope="col" className="num">
                {t('rules.dryRun.activeScore')}
              </th>
              <th scope="col">{t('rules.dryRun.activeRules')}</th>
            </tr>
          </thead>
          <tbody>
            {customers.map((c) => (
              <tr key={c.customerNumber}>
                <td className="nowrap">{c.customerNumber}</td>
                <td className="num">{c.score}</td>
                <td>{names(c.rules)}</td>
                <td className="num">{c.activeScore}</td>
                <td>{names(c.activeRules)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {count > customers.length && customers.length > 0 && (
        <p className="muted">{t('rules.dryRun.more', { shown: customers.length, count })}</p>
      )}
    </div>
  );
}

function DryRunResult({ result }: { result: DryRun }) {
  const { t } = useTranslation();
  const ruleName = useRuleName();
  const option = useMemo<EChartsCoreOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: {},
      grid: { left: 200, right: 24, bottom: 24, top: 36 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: result.rules.map((r) => ruleName(r.id)), inverse: true },
      series: [
        { name: t('rules.dryRun.activeSeries', { version: result.active }), type: 'bar', data: result.rules.map((r) => r.active) },
        { name: t('rules.dryRun.candidateSeries', { version: result.candidate }), type: 'bar', data: result.rules.map((r) => r.candidate) },
      ],
    }),
    [result, t, ruleName],
  );
  return (
    <div data-testid="rules-dry-run-result">
      <dl className="facts facts-4">
        <div>
          <dt>{t('rules.dryRun.rows')}</dt>
          <dd>{result.rows.toLocaleString()}</dd>
        </div>
        <div>
          <dt>{t('rules.dryRun.customers')}</dt>
          <dd>{result.customers.toLocaleString()}</dd>
        </div>
        <div>
          <dt>{t('rules.dryRun.seconds')}</dt>
          <dd>{result.seconds}</dd>
        </div>
        <div>
          <dt>{t('rules.dryRun.period')}</dt>
          <dd>{t('rules.dryRun.window', { from: result.from.slice(0, 10), to: result.to.slice(0, 10), days: result.days })}</dd>
        </div>
      </dl>
      {result.truncated && (
        <div className="notice notice-info" role="status">
          {t('rules.dryRun.truncated', { maxRows: result.maxRows.toLocaleString() })}
        </div>
      )}
      <h3>{t('rules.dryRun.findings')}</h3>
      <table className="table table-dense" data-testid="rules-dry-run-kinds">
        <thead>
          <tr>
            <th scope="col">{t('rules.dryRun.kind')}</th>
            <th scope="col" className="num">
              {t('rules.dryRun.activeFindings', { version: result.active })}
            </th>
            <th scope="col" className="num">
              {t('rules.dryRun.candidateFindings', { version: result.candidate })}
            </th>
            <th scope="col" className="num">
              {t('rules.dryRun.newlyFound')}
            </th>
            <th scope="col" className="num">
              {t('rules.dryRun.noLongerFound')}
            </th>
          </tr>
        </thead>
        <tbody>
          {result.kinds.map((k) => (
            <tr key={k.kind}>
              <td>{t(`rules.kind.${k.kind}`)}</td>
              <td className="num">{k.active}</td>
              <td className="num">{k.candidate}</td>
              <td className="num">{k.newlyFound.count}</td>
              <td className="num">{k.noLongerFound.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('rules.dryRun.perRule')}</h3>
      <EChart option={option} label={t('rules.dryRun.chartLabel')} height={Math.max(200, result.rules.length * 36 + 60)} />
      {result.customersWithheld && <p className="muted">{t('rules.dryRun.withheldNote')}</p>}
      {result.kinds.map((k) => (
        <div key={k.kind} className="grid-2">
          <CustomerTable
            title={t('rules.dryRun.newlyFoundOf', { kind: t(`rules.kind.${k.kind}`) })}
            customers={k.newlyFound.customers}
            count={k.newlyFound.count}
            testId={`rules-newly-${k.kind}`}
          />
          <CustomerTable
            title={t('rules.dryRun.noLongerFoundOf', { kind: t(`rules.kind.${k.kind}`) })}
            customers={k.noLongerFound.customers}
            count={k.noLongerFound.count}
            testId={`rules-no-longer-${k.kind}`}
          />
        </div>
      ))}
    </div>
  );
}

/** The dry run of a stored version against the active one: what would change over the last days. */
export function DryRunPanel({
  versions,
  version,
  onVersion,
}: {
  versions: RuleSetSummary[];
  version: string;
  onVersion: (v: string) => void;
}) {
  const { t } = useTranslation();
  const [days, setDays] = useState('30');
  const run = useMutation({ mutationFn: () => dryRun(version, Number(days)) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <section className="card" aria-labelledby="rules-dry-run">
      <h2 id="rules-dry-run" className="card-title">
        {t('rules.dryRun.title')}
      </h2>
      <p className="muted">{t('rules.dryRun.intro')}</p>
      <form className="form filter-grid" onSubmit={submit}>
        <div className="field">
          <label>
            {t('rules.dryRun.version')}
            <select value={version} onChange={(e) => onVersion(e.target.value)} data-testid="rules-dry-run-version">
              {versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version} · {t(`rules.status.${v.status}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <Field
          label={t('rules.dryRun.days')}
          type="number"
          min={1}
          max={180}
          step={1}
          required
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={run.isPending || !version} data-testid="rules-dry-run-start">
            {t('rules.dryRun.run')}
          </button>
        </div>
      </form>
      {run.isPending && <Loading />}
      <ErrorNotice error={run.error} />
      {run.data && !run.isPending && <DryRunResult result={run.data} />}
    </section>
  );
}
