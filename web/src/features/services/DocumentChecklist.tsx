import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { upload } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { type ChecklistItem, type DocumentList, downloadScan, scanPath, tickItem, untickItem } from './api-documents';

/** The largest scan the server accepts (platform/files/scans.ts). */
const MAX_SCAN_BYTES = 5 * 1024 * 1024;
const ACCEPT = 'application/pdf,image/jpeg,image/png';

function Item({ requestId, item, canWork }: { requestId: string; item: ChecklistItem; canWork: boolean }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const queryClient = useQueryClient();
  const evidenceId = useId();
  const [evidence, setEvidence] = useState(item.ticked?.evidenceRef ?? '');
  const [tooLarge, setTooLarge] = useState(false);
  const refresh = (list: DocumentList) => {
    queryClient.setQueryData(['service-request', requestId, 'documents'], list);
    // A tick changes what the customer signs: the summary and the signatures are read again.
    return queryClient.invalidateQueries({ queryKey: ['service-request', requestId] });
  };
  const tick = useMutation({ mutationFn: () => tickItem(requestId, item.code, evidence.trim()), onSuccess: refresh });
  const untick = useMutation({ mutationFn: () => untickItem(requestId, item.code), onSuccess: refresh });
  const send = useMutation({
    mutationFn: (file: File) =>
      upload<DocumentList>(scanPath(requestId, item.code, file.name), file, file.type || 'application/octet-stream'),
    onSuccess: refresh,
  });
  const download = useMutation({ mutationFn: () => downloadScan(requestId, item.code) });
  const name = locale.startsWith('zh') ? item.zh : item.en;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (evidence.trim()) tick.mutate();
  };
  const choose = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setTooLarge(file.size > MAX_SCAN_BYTES);
    if (file.size <= MAX_SCAN_BYTES) send.mutate(file);
  };

  return (
    <li className="checklist-item" data-testid="checklist-item" data-code={item.code}>
      <div className="title-row">
        <strong>{name}</strong>
        {item.ticked ? (
          <span className="badge badge-success" data-testid="checklist-ticked">
            {t('serviceRequest.documents.ticked')}
          </span>
        ) : (
          <span className="badge badge-pending">{t('serviceRequest.documents.notTicked')}</span>
        )}
      </div>
      {item.ticked && (
        <p className="field-hint" data-testid="checklist-tick-by">
          {t('serviceRequest.documents.tickedBy', {
            name: item.ticked.by?.displayName ?? t('common.none'),
            at: formatInstant(item.ticked.at, locale),
            evidence: item.ticked.evidenceRef ?? t('common.none'),
          })}
        </p>
      )}
      {item.scan && (
        <p className="field-hint">
          {t('serviceRequest.documents.scan', {
            size: Math.max(1, Math.round(item.scan.sizeBytes / 1024)),
            at: item.scan.uploadedAt ? formatInstant(item.scan.uploadedAt, locale) : t('common.none'),
            name: item.scan.uploadedBy?.displayName ?? t('common.none'),
          })}{' '}
          <button type="button" className="link-button" onClick={() => download.mutate()} data-testid="scan-download">
            {t('serviceRequest.documents.download')}
          </button>
        </p>
      )}
      {canWork && (
        <form className="checklist-actions" onSubmit={submit}>
          <label htmlFor={evidenceId} className="visually-hidden">
            {t('serviceRequest.documents.evidence')}
          </label>
          <input
            id={evidenceId}
            type="text"
            value={evidence}
            onChange={(e) => setEvidence(e.target.value)}
            maxLength={200}
            placeholder={t('serviceRequest.documents.evidencePlaceholder')}
            data-testid="evidence-input"
          />
          <button
            type="submit"
            className="button button-small button-primary"
            disabled={!evidence.trim() || tick.isPending}
            data-testid="tick"
          >
            {item.ticked ? t('serviceRequest.documents.retick') : t('serviceRequest.documents.tick')}
          </button>
          {item.ticked && (
            <>
              <button
                type="button"
                className="button button-small button-ghost"
                onClick={() => untick.mutate()}
                disabled={untick.isPending}
                data-testid="untick"
              >
                {t('serviceRequest.documents.untick')}
              </button>
              <label className="button button-small button-ghost">
                {item.scan ? t('serviceRequest.documents.replaceScan') : t('serviceRequest.documents.uploadScan')}
                <input type="file" accept={ACCEPT} onChange={choose} className="visually-hidden" data-testid="scan-input" />
              </label>
            </>
          )}
        </form>
      )}
      {tooLarge && (
        <p className="field-error" role="alert">
          {t('serviceRequest.documents.tooLarge')}
        </p>
      )}
      <ErrorNotice error={tick.error ?? untick.error ?? send.error ?? download.error} />
    </li>
  );
}

/**
 * The checklist of a request (P6.1.1): the reduced list a registered customer brings, each item
 * ticked with the evidence seen by a named staff member, with its scan to upload or download.
 */
export function DocumentChecklist({ requestId, list, canWork }: { requestId: string; list: DocumentList; canWork: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="document-checklist">
      <h2 className="card-title">{t('serviceRequest.documents.title')}</h2>
      <p className="field-hint">{list.reduced ? t('serviceRequest.documents.reduced') : t('serviceRequest.documents.standard')}</p>
      {list.items.length === 0 ? (
        <Empty>{t('serviceRequest.documents.none')}</Empty>
      ) : (
        <ul className="checklist">
          {list.items.map((item) => (
            <Item key={item.code} requestId={requestId} item={item} canWork={canWork} />
          ))}
        </ul>
      )}
    </section>
  );
}
