import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { TRANSACTION_COLUMNS } from '../../../../src/domain/analysis/transaction.js';
import type { BatchErrorsResponse } from '../../../../src/features/ingestion/ingestion.schemas.js';
import { get, upload } from '../../api/client';
import type { Page } from '../../api/types';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading } from '../../components/Feedback';
import { formatCount, formatInstant } from '../../i18n/format';

type Format = 'csv' | 'ndjson' | 'camt053';

interface Batch {
  id: string;
  source: 'file' | 'upload' | 'stream';
  name: string;
  format: Format;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  bytesTotal: number | null;
  bytesRead: number;
  percent: number | null;
  rows: number;
  inserted: number;
  duplicates: number;
  badRows: number;
  leads: number;
  alerts: number;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

type BadRows = z.output<typeof BatchErrorsResponse>;

const FORMATS: readonly Format[] = ['csv', 'ndjson', 'camt053'];
const CONTENT_TYPES: Record<Format, string> = { csv: 'text/csv', ndjson: 'application/x-ndjson', camt053: 'application/xml' };

/** The format a file's name says (the server's rule, docs/ingestion.md). */
function formatOf(name: string): Format {
  if (/\.(nd)?jsonl?$/i.test(name)) return 'ndjson';
  if (/\.(xml|camt0?53)$/i.test(name)) return 'camt053';
  return 'csv';
}

/** P2.2.3: transaction batches — upload a file, follow its progress, read its bad rows. */
export function BatchesPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSignedIn();
  const [open, setOpen] = useState<string | null>(null);
  const batches = useQuery({
    queryKey: ['transactions', 'batches'],
    queryFn: () => get<Page<Batch>>('/api/v1/transactions/batches?limit=50'),
    // Progress moves while a batch runs: poll then, stay quiet otherwise.
    refetchInterval: (q) => (q.state.data?.items.some((b) => b.status === 'running') ? 1000 : 15_000),
  });
  const items = batches.data?.items ?? [];
  const n = (v: number) => formatCount(v, i18n.language);

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('batches.title')}</h1>
          <p className="page-sub">{t('batches.intro')}</p>
        </div>
      </header>
      {hasPermission(user.roles, 'transactions.ingest') && <UploadForm />}
      <section className="card card-flush" aria-labelledby="batches-list">
        <h2 id="batches-list" className="card-title">
          {t('batches.list')}
        </h2>
        {batches.isPending && <Loading />}
        <ErrorNotice error={batches.error} />
        {batches.data && items.length === 0 && <Empty>{t('batches.none')}</Empty>}
        {items.length > 0 && (
          <table className="table table-dense" data-testid="batches">
            <thead>
              <tr>
                <th>{t('batches.name')}</th>
                <th>{t('batches.status')}</th>
                <th>{t('batches.progress')}</th>
                <th className="num">{t('batches.rows')}</th>
                <th className="num">{t('batches.inserted')}</th>
                <th className="num">{t('batches.duplicates')}</th>
                <th className="num">{t('batches.badRows')}</th>
                <th className="num">{t('batches.leads')}</th>
                <th className="num">{t('batches.alerts')}</th>
                <th>{t('batches.started')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((b) => (
                <tr key={b.id} data-testid={`batch-${b.id}`}>
                  <td>
                    <div>{b.name}</div>
                    <div className="muted">
                      {t(`batches.source.${b.source}`)} · {t(`batches.format.${b.format}`)}
                    </div>
                  </td>
                  <td>
                    <span className={`badge badge-batch-${b.status}`}>{t(`batches.statuses.${b.status}`)}</span>
                    {b.error && <div className="text-danger">{t('batches.failed')}</div>}
                  </td>
                  <td>
                    <Progress batch={b} />
                  </td>
                  <td className="num">{n(b.rows)}</td>
                  <td className="num">{n(b.inserted)}</td>
                  <td className="num">{n(b.duplicates)}</td>
                  <td className="num">
                    {b.badRows > 0 ? (
                      <button type="button" className="link-button" onClick={() => setOpen(open === b.id ? null : b.id)}>
                        {n(b.badRows)}
                      </button>
                    ) : (
                      0
                    )}
                  </td>
                  <td className="num">{n(b.leads)}</td>
                  <td className="num">{n(b.alerts)}</td>
                  <td>{formatInstant(b.createdAt, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {open && <BadRowsCard batchId={open} />}
    </div>
  );
}

function Progress({ batch }: { batch: Batch }) {
  const { t } = useTranslation();
  const percent = batch.percent ?? (batch.status === 'done' ? 100 : 0);
  return (
    <div className={batch.status === 'failed' || batch.status === 'interrupted' ? 'progress progress-failed' : 'progress'}>
      <span
        className="progress-fill"
        style={{ width: `${percent}%` }}
        role="progressbar"
        aria-valuenow={percent}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={t('batches.progressLabel', { percent })}
      />
    </div>
  );
}

function UploadForm() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format | ''>('');
  const fileId = useId();
  const formatId = useId();
  const send = useMutation({
    mutationFn: (f: File) => {
      const chosen = format || formatOf(f.name);
      return upload<Batch>(`/api/v1/transactions/batches?name=${encodeURIComponent(f.name)}`, f, CONTENT_TYPES[chosen]);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['transactions', 'batches'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) {
      // The list polls while the batch runs; its row shows the progress of this upload.
      setTimeout(() => void queryClient.invalidateQueries({ queryKey: ['transactions', 'batches'] }), 500);
      send.mutate(file);
    }
  };
  return (
    <section className="card" aria-labelledby="batches-upload">
      <h2 id="batches-upload" className="card-title">
        {t('batches.upload')}
      </h2>
      <p className="muted">{t('batches.uploadHint')}</p>
      <p className="muted">
        {t('batches.columns')} <code>{TRANSACTION_COLUMNS.join(',')}</code>
      </p>
      <form className="toolbar-form batch-upload" onSubmit={submit}>
        <div className="field">
          <label htmlFor={fileId}>{t('batches.file')}</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,.ndjson,.jsonl,.xml"
            data-testid="batch-file"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label htmlFor={formatId}>{t('batches.formatLabel')}</label>
          <select id={formatId} value={format} onChange={(e) => setFormat(FORMATS.find((f) => f === e.currentTarget.value) ?? '')}>
            <option value="">{t('batches.formatAuto')}</option>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`batches.format.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={!file || send.isPending} data-testid="batch-send">
          {send.isPending ? t('batches.uploading') : t('batches.send')}
        </button>
      </form>
      <ErrorNotice error={send.error} />
      {send.data && (
        <p className="notice" role="status" data-testid="batch-result">
          {t('batches.result', {
            rows: formatCount(send.data.rows, i18n.language),
            inserted: formatCount(send.data.inserted, i18n.language),
            duplicates: formatCount(send.data.duplicates, i18n.language),
            bad: formatCount(send.data.badRows, i18n.language),
          })}
        </p>
      )}
    </section>
  );
}

/** Why a row was refused, in the reader's language (the API's code and parameters); names of columns and elements as code. */
function BadRowReason({ row }: { row: BadRows['items'][number] }) {
  const { t } = useTranslation();
  const { part, ...params } = row.params;
  return (
    <>
      {part !== undefined && t('batches.reasonPart', { part })}
      <Trans i18nKey={`batches.reasons.${row.code}`} values={params} components={{ code: <code /> }} />
    </>
  );
}

function BadRowsCard({ batchId }: { batchId: string }) {
  const { t } = useTranslation();
  const rows = useQuery({
    queryKey: ['transactions', 'batches', batchId, 'errors'],
    queryFn: () => get<BadRows>(`/api/v1/transactions/batches/${encodeURIComponent(batchId)}/errors?limit=500`),
  });
  return (
    <section className="card card-flush" aria-labelledby="batches-bad-rows">
      <h2 id="batches-bad-rows" className="card-title">
        {t('batches.badRowsTitle')}
      </h2>
      {rows.isPending && <Loading />}
      <ErrorNotice error={rows.error} />
      {rows.data && (
        <>
          <table className="table table-dense" data-testid="batch-errors">
            <thead>
              <tr>
                <th className="num">{t('batches.line')}</th>
                <th>{t('batches.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.items.map((r) => (
                <tr key={r.line}>
                  <td className="num">{r.line}</td>
                  <td title={r.code === 'other' ? r.reason : undefined} data-testid="batch-error-reason">
                    <BadRowReason row={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted card-note">{t('batches.keptNote', { kept: rows.data.kept })}</p>
        </>
      )}
    </section>
  );
}
