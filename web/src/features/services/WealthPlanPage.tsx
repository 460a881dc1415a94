import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { WealthPlanView } from '../../../../src/features/services/wealth.schemas.js';
import { get, post } from '../../api/client';
import type { RiskLevel } from '../../api/types';
import { EChart } from '../../components/EChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatMinor } from '../../i18n/format';
import { allocationOption, inputFromMinor, minorFromInput } from './wealthChart';

type Plan = z.output<typeof WealthPlanView>;
type Target = 'R1' | 'R2';
/** A move as the table edits it: the amount as typed, in major units. */
interface Row {
  holdingId: string;
  amount: string;
  toRiskLevel: Target;
}

const rowsOf = (plan: Plan): Row[] =>
  plan.moves.map((m) => {
    const currency = plan.holdings.find((h) => h.id === m.holdingId)?.currency ?? 'CNY';
    return { holdingId: m.holdingId, amount: inputFromMinor(m.amountMinor, currency), toRiskLevel: m.toRiskLevel };
  });

/**
 * Wealth re-planning of a case's customer: the allocation by risk level before and after, the
 * proposed moves with amounts the wealth manager may change (previewed by the server), and the
 * plan submitted as a service request that the supervisor approves and the customer signs.
 */
export function WealthPlanPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const rationaleId = useId();
  const path = `/api/v1/cases/${encodeURIComponent(id)}`;
  const plan = useQuery({ queryKey: ['wealth-plan', id], queryFn: () => get<Plan>(`${path}/wealth-plan`) });
  const [rows, setRows] = useState<Row[]>([]);
  const [shown, setShown] = useState<Plan | null>(null);
  const [edited, setEdited] = useState(false);
  const [rationale, setRationale] = useState('');

  useEffect(() => {
    if (plan.data) {
      setRows(rowsOf(plan.data));
      setShown(plan.data);
      setEdited(false);
    }
  }, [plan.data]);

  const holdings = useMemo(() => new Map((plan.data?.holdings ?? []).map((h) => [h.id, h])), [plan.data]);
  const moves = rows.flatMap((r) => {
    const currency = holdings.get(r.holdingId)?.currency ?? 'CNY';
    const amountMinor = minorFromInput(r.amount, currency);
    // An emptied or zero amount drops the move; an unreadable one is sent as it is refused (0 → the server's "range").
    return amountMinor === 0 || r.amount.trim() === ''
      ? []
      : [{ holdingId: r.holdingId, amountMinor: amountMinor ?? -1, toRiskLevel: r.toRiskLevel }];
  });

  const preview = useMutation({
    mutationFn: () => post<Plan>(`${path}/wealth-plan/preview`, { moves }),
    onSuccess: (p) => {
      setShown(p);
      setEdited(false);
    },
  });
  const submit = useMutation({
    mutationFn: () =>
      post<{ id: string }>(`${path}/service-requests`, { type: 'wealth_replan', details: { moves, rationale: rationale.trim() } }),
    onSuccess: (r) => navigate(`/service-requests/${encodeURIComponent(r.id)}`),
  });

  const change = (i: number, patch: Partial<Row>) => {
    setRows((old) => old.map((r, j) => (j === i ? { ...r, ...patch } : r)));
    setEdited(true);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate();
  };
  const level = (l: RiskLevel) => `${l} ${t(`riskLevels.${l}`)}`;
  const labels: Record<string, string> = {};
  rows.forEach((r, i) => {
    const name = holdings.get(r.holdingId)?.productName ?? '';
    labels[`body.moves.${i}.amountMinor`] = t('wealthPlan.amountOf', { product: name });
    labels[`body.details.moves.${i}.amountMinor`] = t('wealthPlan.amountOf', { product: name });
    labels[`body.moves.${i}.toRiskLevel`] = t('wealthPlan.targetOf', { product: name });
  });
  labels['body.details.rationale'] = t('wealthPlan.rationale');

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('wealthPlan.title')}</h1>
          <p className="page-sub">{t('wealthPlan.intro')}</p>
        </div>
        <Link to={`/cases/${encodeURIComponent(id)}`} className="button">
          {t('wealthPlan.backToCase')}
        </Link>
      </header>
      {plan.isPending && <Loading />}
      <ErrorNotice error={plan.error} />
      {plan.data && (
        <p className="muted" data-testid="wealth-rule">
          {t('wealthPlan.rule', {
            highRiskTo: level(plan.data.rule.highRiskTo),
            r3ExcessTo: level(plan.data.rule.r3ExcessTo),
            share: plan.data.rule.r3MaxSharePercent,
          })}
        </p>
      )}
      {plan.data && plan.data.holdings.length === 0 && <Empty>{t('wealthPlan.noHoldings')}</Empty>}
      {shown && shown.currencies.length > 0 && (
        <div className="grid-2">
          {shown.currencies.map((c) => (
            <section key={c.currency} className="card" aria-labelledby={`wealth-chart-${c.currency}`}>
              <h2 id={`wealth-chart-${c.currency}`} className="card-title">
                {t('wealthPlan.chartTitle', { currency: c.currency })}
              </h2>
              <EChart
                label={t('wealthPlan.chartLabel', { currency: c.currency })}
                option={allocationOption(
                  c.currency,
                  c.before,
                  c.after,
                  { before: t('wealthPlan.before'), after: t('wealthPlan.after'), level },
                  locale,
                )}
              />
            </section>
          ))}
        </div>
      )}
      {plan.data && plan.data.holdings.length > 0 && (
        <section className="card card-flush" aria-labelledby="wealth-moves">
          <h2 id="wealth-moves" className="card-title">
            {t('wealthPlan.moves')}
          </h2>
          {rows.length === 0 ? (
            <Empty>{t('wealthPlan.noMoves')}</Empty>
          ) : (
            <table className="table" data-testid="wealth-moves">
              <thead>
                <tr>
                  <th>{t('wealthPlan.product')}</th>
                  <th>{t('wealthPlan.riskLevel')}</th>
                  <th>{t('wealthPlan.holdingValue')}</th>
                  <th>{t('wealthPlan.amount')}</th>
                  <th>{t('wealthPlan.target')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const h = holdings.get(r.holdingId);
                  if (!h) return null;
                  return (
                    <tr key={`${r.holdingId}-${r.toRiskLevel}`}>
                      <td>{h.productName}</td>
                      <td>
                        <span className={`risk risk-${h.riskLevel}`}>{level(h.riskLevel)}</span>
                      </td>
                      <td>{formatMinor(h.marketValueMinor, h.currency, locale)}</td>
                      <td>
                        <input
                          inputMode="decimal"
                          value={r.amount}
                          aria-label={t('wealthPlan.amountOf', { product: h.productName })}
                          onChange={(e) => change(i, { amount: e.target.value })}
                          data-testid="wealth-amount"
                        />
                      </td>
                      <td>
                        <select
                          value={r.toRiskLevel}
                          aria-label={t('wealthPlan.targetOf', { product: h.productName })}
                          onChange={(e) => change(i, { toRiskLevel: e.target.value === 'R2' ? 'R2' : 'R1' })}
                        >
                          <option value="R1">{level('R1')}</option>
                          <option value="R2">{level('R2')}</option>
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <div className="form-actions card-actions">
            <button
              type="button"
              className="button"
              onClick={() => preview.mutate()}
              disabled={preview.isPending || rows.length === 0}
              data-testid="wealth-preview"
            >
              {t('wealthPlan.preview')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                if (plan.data) {
                  setRows(rowsOf(plan.data));
                  setShown(plan.data);
                  setEdited(false);
                }
              }}
            >
              {t('wealthPlan.reset')}
            </button>
          </div>
          <ErrorNotice error={preview.error} labels={labels} />
        </section>
      )}
      {plan.data && moves.length > 0 && (
        <form className="card" onSubmit={onSubmit}>
          <div className="field">
            <label htmlFor={rationaleId}>{t('wealthPlan.rationale')}</label>
            <textarea
              id={rationaleId}
              value={rationale}
              onChange={(e) => setRationale(e.target.value)}
              maxLength={1000}
              rows={3}
              required
            />
            <span className="field-hint">{t('wealthPlan.rationaleHint')}</span>
          </div>
          <p className="muted">{t('wealthPlan.submitHint')}</p>
          {edited && <p className="notice notice-info">{t('wealthPlan.edited')}</p>}
          <div className="form-actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={edited || submit.isPending || rationale.trim() === ''}
              data-testid="wealth-submit"
            >
              {t('wealthPlan.submit')}
            </button>
          </div>
          <ErrorNotice error={submit.error} labels={labels} />
        </form>
      )}
    </div>
  );
}
