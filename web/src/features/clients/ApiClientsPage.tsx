import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post, query } from '../../api/client';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Empty, Loading, SecretOnce } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { Pager, useCursorPages } from '../../components/Pager';
import { formatInstant } from '../../i18n/format';

/** The scopes a client may hold (src/platform/http/api-key-auth.ts). */
const SCOPES = ['transactions:ingest', 'transactions:decide', 'waivers:read', 'priority:read', 'collection:read', 'loans:write'] as const;
type Scope = (typeof SCOPES)[number];

interface ApiKey {
  id: string;
  prefix: string;
  status: 'active' | 'revoked';
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}
interface ApiClient {
  id: string;
  name: string;
  scopes: Scope[];
  status: 'active' | 'disabled';
  createdAt: string;
  disabledAt: string | null;
  keys: ApiKey[];
}
interface ApiClientList {
  items: ApiClient[];
  nextCursor: string | null;
}
interface IssuedKey {
  keyId: string;
  prefix: string;
  key: string;
}

const base = '/api/v1/admin/api-clients';
const clientPath = (id: string) => `${base}/${encodeURIComponent(id)}`;

function ScopeChoice({ value, onChange }: { value: Scope[]; onChange: (scopes: Scope[]) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="field">
      <legend>{t('apiClients.field.scopes')}</legend>
      {SCOPES.map((s) => (
        <label key={s} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(s)}
            onChange={(e) => onChange(e.target.checked ? [...value, s] : value.filter((x) => x !== s))}
            data-testid={`apiclient-scope-${s}`}
          />{' '}
          {t(`apiClients.scope.${s.replace(':', '_')}`)} <code>{s}</code>
        </label>
      ))}
    </fieldset>
  );
}

function CreateClientDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  // One key per dialog: a resubmitted form (double click, retry) creates one client, not two.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () => post<ApiClient>(base, { name: name.trim(), scopes }, { 'idempotency-key': idempotencyKey }),
    onSuccess: async (client) => {
      await queryClient.invalidateQueries({ queryKey: ['apiClients'] });
      onCreated(client.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Dialog title={t('apiClients.create.title')} onClose={onClose}>
      <ErrorNotice error={create.error} />
      <form className="form" onSubmit={submit}>
        <Field
          label={t('apiClients.field.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
          required
          autoFocus
          hint={t('apiClients.create.nameHint')}
          data-testid="apiclient-name"
        />
        <ScopeChoice value={scopes} onChange={setScopes} />
        <div className="form-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={create.isPending || scopes.length === 0 || name.trim() === ''}
            data-testid="apiclient-create-submit"
          >
            {t('apiClients.create.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** One client: its keys (issue, revoke) and its status (disable, enable). */
function ClientDialog({ clientId, onClose }: { clientId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const record = useQuery({ queryKey: ['apiClients', 'one', clientId], queryFn: () => get<ApiClient>(clientPath(clientId)), staleTime: 0 });
  const client = record.data;
  const after = async () => {
    await queryClient.invalidateQueries({ queryKey: ['apiClients'] });
  };
  const issue = useMutation({
    mutationFn: () => post<IssuedKey>(`${clientPath(clientId)}/keys`),
    onMutate: () => setNotice(null),
    onSuccess: async (result) => {
      setIssued(result);
      await after();
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => post<ApiClient>(`${clientPath(clientId)}/keys/${encodeURIComponent(keyId)}/revoke`),
    onMutate: () => setNotice(null),
    onSuccess: async () => {
      setNotice(t('apiClients.key.revoked'));
      await after();
    },
  });
  const status = useMutation({
    mutationFn: (to: 'disable' | 'enable') => post<ApiClient>(`${clientPath(clientId)}/${to}`),
    onMutate: () => setNotice(null),
    onSuccess: async (result) => {
      setNotice(t(result.status === 'disabled' ? 'apiClients.edit.disabled' : 'apiClients.edit.enabled'));
      await after();
    },
  });
  const pending = issue.isPending || revoke.isPending || status.isPending;

  return (
    <Dialog title={client ? t('apiClients.edit.title', { name: client.name }) : t('apiClients.edit.titleLoading')} onClose={onClose} wide>
      {record.isPending && <Loading />}
      <ErrorNotice error={record.error ?? issue.error ?? revoke.error ?? status.error} />
      {notice && (
        <p className="notice notice-success" role="status">
          {notice}
        </p>
      )}
      {issued && (
        // Shown this once, with a plain warning that it cannot be shown again.
        <SecretOnce
          label={t('apiClients.key.newTitle')}
          value={issued.key}
          hint={<strong>{t('apiClients.key.newWarning')}</strong>}
          testId="apiclient-key"
        />
      )}
      {client && (
        <>
          <p>
            {t('apiClients.field.scopes')}:{' '}
            {client.scopes.map((s) => (
              <code key={s} className="badge">
                {s}
              </code>
            ))}
          </p>
          <div className="form-actions">
            {client.status === 'active' ? (
              <ConfirmButton
                label={t('apiClients.edit.disable')}
                question={t('apiClients.edit.disableConfirm')}
                onConfirm={() => status.mutate('disable')}
                disabled={pending}
                danger
              />
            ) : (
              <ConfirmButton
                label={t('apiClients.edit.enable')}
                question={t('apiClients.edit.enableConfirm')}
                onConfirm={() => status.mutate('enable')}
                disabled={pending}
              />
            )}
            <span className="spacer" />
            <button type="button" className="button button-ghost" onClick={onClose}>
              {t('common.close')}
            </button>
          </div>
          <section className="danger-zone" aria-labelledby="apiclient-keys">
            <div className="section-head">
              <h3 id="apiclient-keys">{t('apiClients.key.title')}</h3>
              <ConfirmButton
                label={t('apiClients.key.issue')}
                question={t('apiClients.key.issueConfirm')}
                onConfirm={() => issue.mutate()}
                disabled={pending || client.status !== 'active'}
              />
            </div>
            {client.keys.length === 0 ? (
              <Empty>{t('apiClients.key.none')}</Empty>
            ) : (
              <table className="table table-dense">
                <thead>
                  <tr>
                    <th scope="col">{t('apiClients.key.prefix')}</th>
                    <th scope="col">{t('common.status')}</th>
                    <th scope="col">{t('apiClients.key.createdAt')}</th>
                    <th scope="col">{t('apiClients.key.lastUsedAt')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {client.keys.map((k) => (
                    <tr key={k.id} className={k.status === 'revoked' ? 'row-muted' : undefined} data-testid="apiclient-key-row">
                      <td className="mono">{k.prefix}…</td>
                      <td>
                        <span className={k.status === 'active' ? 'badge badge-active' : 'badge badge-disabled'}>
                          {t(`apiClients.key.status.${k.status}`)}
                        </span>
                      </td>
                      <td className="nowrap">{formatInstant(k.createdAt, i18n.language)}</td>
                      <td className="nowrap">{k.lastUsedAt ? formatInstant(k.lastUsedAt, i18n.language) : t('common.none')}</td>
                      <td className="num">
                        {k.status === 'active' && (
                          <ConfirmButton
                            label={t('apiClients.key.revoke')}
                            question={t('apiClients.key.revokeConfirm')}
                            onConfirm={() => revoke.mutate(k.id)}
                            disabled={pending}
                            danger
                          />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </Dialog>
  );
}

/** Other bank systems (core banking, payment systems) that call Lifeline with bearer keys. */
export function ApiClientsPage() {
  const { t, i18n } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const list = useQuery({
    queryKey: ['apiClients', 'list', cursor],
    queryFn: () => get<ApiClientList>(`${base}${query({ limit: 50, cursor })}`),
  });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('apiClients.title')}</h1>
          <p className="page-sub">{t('apiClients.intro')}</p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)} data-testid="apiclient-create">
          {t('apiClients.create.open')}
        </button>
      </header>
      <section className="card card-flush">
        {list.isPending && <Loading />}
        <ErrorNotice error={list.error} />
        {list.data && list.data.items.length === 0 && <Empty>{t('apiClients.none')}</Empty>}
        {list.data && list.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('apiClients.field.name')}</th>
                  <th scope="col">{t('apiClients.field.scopes')}</th>
                  <th scope="col">{t('common.status')}</th>
                  <th scope="col">{t('apiClients.field.activeKeys')}</th>
                  <th scope="col">{t('apiClients.field.createdAt')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id} data-testid="apiclient-row" className={c.status === 'disabled' ? 'row-muted' : undefined}>
                    <td>{c.name}</td>
                    <td className="mono">{c.scopes.join(', ')}</td>
                    <td>
                      <span className={`badge badge-${c.status}`}>{t(`apiClients.status.${c.status}`)}</span>
                    </td>
                    <td className="num">{c.keys.filter((k) => k.status === 'active').length}</td>
                    <td className="nowrap">{formatInstant(c.createdAt, i18n.language)}</td>
                    <td className="num">
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setOpen(c.id)}
                        aria-label={t('apiClients.edit.open', { name: c.name })}
                      >
                        {t('apiClients.edit.manage')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager pages={pages} nextCursor={list.data?.nextCursor} busy={list.isFetching} />
      </section>
      {creating && (
        <CreateClientDialog
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            setOpen(id);
          }}
        />
      )}
      {open && <ClientDialog clientId={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
