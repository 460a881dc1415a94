import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import type { RevealableField, RevealResult } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';

/** Asks why a full identifier is needed, then reveals it; the server records the view in the audit trail. */
export function RevealDialog({
  customerId,
  field,
  onRevealed,
  onClose,
}: {
  customerId: string;
  field: RevealableField;
  onRevealed: (result: RevealResult) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  // Inspectors see customers outside any team of theirs, so they must always say why (DESIGN.md roles).
  const reasonRequired = user.roles.includes('inspector');

  const reveal = useMutation({
    mutationFn: () => {
      const trimmed = reason.trim();
      return post<RevealResult>(`/api/v1/customers/${encodeURIComponent(customerId)}/reveal`, {
        fields: [field],
        ...(trimmed ? { reason: trimmed } : {}),
      });
    },
    onSuccess: (result) => {
      onRevealed(result);
      onClose();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reasonRequired && !reason.trim()) return;
    reveal.mutate();
  };

  return (
    <Dialog title={t('customers.reveal.title', { field: t(`customers.field.${field}`) })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <p>{t('customers.reveal.intro')}</p>
        <ErrorNotice error={reveal.error} />
        <div className="field">
          <label htmlFor={reasonId}>{reasonRequired ? t('customers.reveal.reasonRequired') : t('customers.reveal.reasonOptional')}</label>
          <textarea
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            rows={3}
            maxLength={500}
            required={reasonRequired}
            data-testid="reveal-reason"
          />
        </div>
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={reveal.isPending || (reasonRequired && !reason.trim())}
            data-testid="reveal-submit"
          >
            {t('customers.reveal.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
