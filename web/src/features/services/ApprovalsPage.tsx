import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, post } from '../../api/client';
import { useSignedIn } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { type ServiceRequestSummary, type ServiceRequestView, useServiceRequests } from './api';
import { RequestTable, useServiceTypeName } from './ServiceBits';

type Decision = 'approve' | 'reject';

/** The decision on one request, with its reason; a refusal for four eyes is said in the reader's words. */
function DecisionDialog({
  request,
  decision,
  onClose,
  onDone,
}: {
  request: ServiceRequestSummary;
  decision: Decision;
  onClose: () => void;
  onDone: (r: ServiceRequestView) => void;
}) {
  const { t } = useTranslation();
  const typeName = useServiceTypeName();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: () =>
      post<ServiceRequestView>(
        `/api/v1/service-requests/${encodeURIComponent(request.id)}/decision`,
        { decision, reason: reason.trim() },
        // The version read with the list: a step someone took meanwhile is refused, not overwritten.
        { 'if-match': `"${request.version}"` },
      ),
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim()) decide.mutate();
  };
  const fourEyes = decide.error instanceof ApiError && decide.error.code === 'FOUR_EYES';
  return (
    <Dialog title={t(`services.approvals.${decision}Title`, { type: typeName(request.type) })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>
          <span className="mono">{request.case.caseNumber}</span> · {request.case.customerName}
        </p>
        <div className="field">
          <label htmlFor={reasonId}>{t('services.approvals.reason')}</label>
          <textarea
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={2000}
            rows={3}
            required
            data-testid="decision-reason"
          />
        </div>
        {fourEyes ? (
          <p className="notice notice-error" role="alert" data-testid="decision-four-eyes">
            {t('services.approvals.fourEyes')}
          </p>
        ) : (
          <ErrorNotice error={decide.error} />
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className={decision === 'approve' ? 'button button-primary' : 'button button-danger'}
            disabled={decide.isPending || !reason.trim()}
            data-testid="decision-submit"
          >
            {t(`services.approvals.${decision}`)}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The supervisor's inbox (P4, four eyes): the branch's requests waiting for a decision, approved or rejected with a reason. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const queryClient = useQueryClient();
  const typeName = useServiceTypeName();
  const list = useServiceRequests({ view: 'approval', limit: 200 });
  const [deciding, setDeciding] = useState<{ request: ServiceRequestSummary; decision: Decision } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const done = async (r: ServiceRequestView) => {
    setDeciding(null);
    setNotice(t(r.status === 'approved' ? 'services.approvals.approved' : 'services.approvals.rejected', { type: typeName(r.type) }));
    await queryClient.invalidateQueries({ queryKey: ['services'] });
  };

  return (
    <div className="page" data-testid="service-approvals">
      <header className="page-header">
        <div>
          <h1>{t('services.approvals.title')}</h1>
          <p className="page-sub">{t('services.approvals.intro')}</p>
        </div>
      </header>
      {notice && (
        <p className="notice notice-success" role="status" data-testid="approvals-notice">
          {notice}
        </p>
      )}
      <ErrorNotice error={list.error} />
      {list.isPending ? (
        <Loading />
      ) : (
        <section className="card card-flush">
          <RequestTable
            items={list.data?.items ?? []}
            testId="approval-requests"
            actions={(r) => (
              <div className="task-actions">
                {r.requestedBy?.id === user.id && <span className="muted">{t('services.approvals.yours')}</span>}
                <button
                  type="button"
                  className="button button-small button-primary"
                  onClick={() => {
                    setNotice(null);
                    setDeciding({ request: r, decision: 'approve' });
                  }}
                  data-testid="approve"
                >
                  {t('services.approvals.approve')}
                </button>
                <button
                  type="button"
                  className="button button-small button-danger-outline"
                  onClick={() => {
                    setNotice(null);
                    setDeciding({ request: r, decision: 'reject' });
                  }}
                  data-testid="reject"
                >
                  {t('services.approvals.reject')}
                </button>
              </div>
            )}
          />
        </section>
      )}
      {deciding && <DecisionDialog {...deciding} onClose={() => setDeciding(null)} onDone={(r) => void done(r)} />}
    </div>
  );
}
