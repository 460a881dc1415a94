import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import type { RequestProcedure } from './api';

/**
 * A request's procedure (P7.3.1): each step with its role, whether it is a control step, who took
 * it and when, and a button for the steps the reader may take now (the server decides who may).
 */
export function ProcedureSteps({ requestId }: { requestId: string }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const queryClient = useQueryClient();
  const key = ['service-request', requestId, 'procedure'];
  const procedure = useQuery({
    queryKey: key,
    queryFn: () => get<RequestProcedure>(`/api/v1/service-requests/${encodeURIComponent(requestId)}/procedure`),
  });
  const take = useMutation({
    mutationFn: (code: string) =>
      post<RequestProcedure>(
        `/api/v1/service-requests/${encodeURIComponent(requestId)}/procedure-steps/${encodeURIComponent(code)}/complete`,
      ),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      return queryClient.invalidateQueries({ queryKey: ['service-request', requestId] });
    },
  });
  const p = procedure.data;
  const nameOf = (s: RequestProcedure['steps'][number]) => (locale.startsWith('zh') ? s.name.zh : s.name.en);
  return (
    <section className="card" data-testid="procedure-steps">
      <h2 className="card-title">{t('procedures.steps.title')}</h2>
      {procedure.isPending && <Loading />}
      <ErrorNotice error={procedure.error} />
      {p && p.version === null && <p className="field-hint">{t('procedures.steps.none')}</p>}
      {p && p.version !== null && (
        <>
          <p className="field-hint">
            {t('procedures.steps.version', { version: p.version })} ·{' '}
            {p.complete ? t('procedures.steps.allDone') : t('procedures.steps.open')}
          </p>
          <ol className="procedure-steps">
            {p.steps.map((s) => {
              const checked = s.checks ? p.steps.find((x) => x.code === s.checks) : undefined;
              return (
                <li key={s.code} data-testid={`procedure-step-${s.code}`} data-done={s.done ? 'true' : 'false'}>
                  <div className="title-row">
                    <strong>{nameOf(s)}</strong>
                    <span className="badge">{t(`roles.${s.role}`)}</span>
                    {s.control && (
                      <span className="badge badge-active">
                        {checked ? t('procedures.steps.controlOf', { step: nameOf(checked) }) : t('procedures.steps.control')}
                      </span>
                    )}
                  </div>
                  {s.done ? (
                    <p className="cell-sub">
                      {t('procedures.steps.doneBy', {
                        name: s.completedBy?.name ?? '',
                        at: s.completedAt ? formatInstant(s.completedAt, locale) : '',
                      })}
                    </p>
                  ) : s.mayComplete ? (
                    <button
                      type="button"
                      className="button button-small button-primary"
                      onClick={() => take.mutate(s.code)}
                      disabled={take.isPending}
                      data-testid="procedure-step-complete"
                    >
                      {t('procedures.steps.complete')}
                    </button>
                  ) : (
                    <p className="cell-sub">{t('procedures.steps.waiting')}</p>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
      <ErrorNotice error={take.error} />
    </section>
  );
}
