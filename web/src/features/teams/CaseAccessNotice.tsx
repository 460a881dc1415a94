import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Dialog } from '../../components/Dialog';
import { BREAK_GLASS_REASON_MIN } from '../../../../src/domain/access.js';
import { useRefreshCase } from '../cases/caseLinks';
import type { Grant } from './teamsApi';

/**
 * Why the sensitive sections of a case are not shown (no agreement, or not on the need-to-know
 * list) and, for the latter, the break-glass button with its reason dialog (P5.4.1).
 */
export function CaseAccessNotice({
  caseId,
  restricted,
  canBreakGlass,
}: {
  caseId: string;
  restricted: 'no_agreement' | 'not_entitled' | undefined;
  canBreakGlass: boolean;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  // The grant opens the notes of the tasks and the timeline too, not only the file.
  const refreshCase = useRefreshCase(caseId);
  const breakGlass = useMutation({
    mutationFn: () => post<Grant>(`/api/v1/cases/${encodeURIComponent(caseId)}/break-glass`, { reason: reason.trim() }),
    onSuccess: async () => {
      setOpen(false);
      await refreshCase();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    breakGlass.mutate();
  };
  if (restricted === 'no_agreement') {
    return (
      <div className="notice notice-error" role="status" data-testid="case-no-agreement">
        {t('access.noAgreement')}
      </div>
    );
  }
  if (restricted !== 'not_entitled' || !canBreakGlass) return null;
  return (
    <div className="notice notice-info" data-testid="case-not-entitled">
      <p>{t('access.notEntitled')}</p>
      <button type="button" className="button button-danger-outline" onClick={() => setOpen(true)} data-testid="break-glass">
        {t('access.breakGlass.button')}
      </button>
      {open && (
        <Dialog title={t('access.breakGlass.title')} onClose={() => setOpen(false)}>
          <form onSubmit={submit}>
            <p>{t('access.breakGlass.intro')}</p>
            <div className="field">
              <label htmlFor={reasonId}>{t('access.breakGlass.reason')}</label>
              <textarea
                id={reasonId}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                minLength={BREAK_GLASS_REASON_MIN}
                maxLength={1000}
                required
                rows={4}
                data-testid="break-glass-reason"
              />
              <span className="field-hint">{t('access.breakGlass.hint', { min: BREAK_GLASS_REASON_MIN })}</span>
            </div>
            <ErrorNotice error={breakGlass.error} />
            <div className="form-actions">
              <button type="button" className="button" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="submit"
                className="button button-danger"
                disabled={breakGlass.isPending || reason.trim().length < BREAK_GLASS_REASON_MIN}
                data-testid="break-glass-submit"
              >
                {t('access.breakGlass.submit')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </div>
  );
}
