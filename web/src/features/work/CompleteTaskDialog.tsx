import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { InteractionFields } from './InteractionFields';
import { emptyInteraction, interactionBody, type Task } from './types';
import type { CompleteResult } from './workApi';

const CONTACT_KINDS: readonly Task['kind'][] = ['contact', 'follow_up_call'];

/**
 * Completes a task with a note; a contact task records the contact that did it. A contact that did
 * not reach the customer is recorded as an attempt and leaves the task open (docs/work.md), so the
 * dialog says so and asks for no completion note.
 */
export function CompleteTaskDialog({
  task,
  onClose,
  onDone,
}: {
  task: Task;
  onClose: () => void;
  /** Called with the server's answer; the caller refreshes what it shows and confirms the outcome. */
  onDone: (result: CompleteResult) => void | Promise<void>;
}) {
  const { t } = useTranslation();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [interaction, setInteraction] = useState(emptyInteraction);
  const contact = CONTACT_KINDS.includes(task.kind);
  const attempt = contact && interaction.outcome === 'not_reached';
  const complete = useMutation({
    mutationFn: () =>
      post<CompleteResult>(`/api/v1/work/tasks/${encodeURIComponent(task.id)}/complete`, {
        ...(note.trim() && !attempt ? { note: note.trim() } : {}),
        ...(contact ? { interaction: interactionBody(interaction) } : {}),
      }),
    onSuccess: (result) => onDone(result),
  });
  return (
    <Dialog title={t('work.complete.title', { kind: t(`work.kind.${task.kind}`) })} onClose={onClose}>
      <ErrorNotice error={complete.error} />
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          complete.mutate();
        }}
      >
        {contact && (
          <>
            <p className="field-hint">{t('work.complete.contactHint')}</p>
            <InteractionFields value={interaction} onChange={setInteraction} />
          </>
        )}
        {attempt ? (
          <p className="notice notice-info" data-testid="complete-attempt-hint">
            {t('work.complete.attemptHint')}
          </p>
        ) : (
          <div className="field">
            <label htmlFor={noteId}>{t('work.complete.note')}</label>
            <textarea id={noteId} rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={complete.isPending} data-testid="complete-submit">
            {attempt ? t('work.complete.submitAttempt') : t('work.complete.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
