import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasPermission } from '../../app/access';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { activateRuleSet, KINDS, listRuleSets, type RuleSetSummary, ruleSet } from './api';
import { DryRunPanel } from './DryRunPanel';
import { RuleSetEditor } from './RuleSetEditor';

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

function StatusBadge({ v }: { v: RuleSetSummary }) {
  const { t } = useTranslation();
  return (
    <>
      <span className={v.status === 'active' ? 'badge badge-active' : v.status === 'draft' ? 'badge badge-pending' : 'badge'}>
        {t(`rules.status.${v.status}`)}
      </span>
      {v.builtIn && <span className="badge">{t('rules.builtIn')}</span>}
    </>
  );
}

/** P2.2.3, P7.2: the analysis rule sets — the one in force, its versions, the editor and the dry run. */
export function RulesPage() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  const manage = hasPermission(user.roles, 'rules.manage');
  const queryClient = useQueryClient();
  const versions = useQuery({ queryKey: ['rule-sets'], queryFn: listRuleSets });
  const items = versions.data ?? [];
  const activeVersion = items.find((v) => v.status === 'active')?.version ?? '';
  const [base, setBase] = useState<string | null>(null);
  const [candidate, setCandidate] = useState<string | null>(null);
  // Both default to the active version until someone picks another one.
  const baseVersion = base ?? activeVersion;
  const dryRunVersion = candidate ?? items.find((v) => v.status === 'draft')?.version ?? activeVersion;
  const baseDetail = useQuery({
    queryKey: ['rule-sets', 'detail', baseVersion],
    queryFn: () => ruleSet(baseVersion),
    enabled: baseVersion !== '',
  });
  const activate = useMutation({
    mutationFn: activateRuleSet,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['rule-sets'] }),
  });
  const active = items.find((v) => v.status === 'active');
  const activeDetail = useQuery({
    queryKey: ['rule-sets', 'detail', activeVersion],
    queryFn: () => ruleSet(activeVersion),
    enabled: activeVersion !== '',
  });

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t('rules.title')}</h1>
          <p className="page-sub">{t('rules.intro')}</p>
        </div>
      </header>
      {versions.isPending && <Loading />}
      <ErrorNotice error={versions.error} />
      {active && (
        <section className="card" aria-labelledby="rules-active" data-testid="rules-active">
          <h2 id="rules-active" className="card-title">
            {t('rules.active', { version: active.version })}
          </h2>
          <dl className="facts facts-4">
            <div>
              <dt>{t('rules.activatedBy')}</dt>
              <dd>{active.activatedBy ? `${active.activatedBy.displayName} · ${when(active.activatedAt)}` : t('rules.shipped')}</dd>
            </div>
            <div>
              <dt>{t('rules.editor.scoreCap')}</dt>
              <dd>{activeDetail.data?.definition.scoreCap ?? '—'}</dd>
            </div>
            {KINDS.map((kind) => (
              <div key={kind}>
                <dt>{t('rules.editor.threshold', { kind: t(`rules.kind.${kind}`) })}</dt>
                <dd>{activeDetail.data?.definition.thresholds[kind] ?? '—'}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
      <section className="card card-flush" aria-labelledby="rules-versions">
        <h2 id="rules-versions" className="card-title">
          {t('rules.versions')}
        </h2>
        <ErrorNotice error={activate.error} />
        <table className="table table-dense" data-testid="rules-versions">
          <thead>
            <tr>
              <th scope="col">{t('rules.version')}</th>
              <th scope="col">{t('rules.statusLabel')}</th>
              <th scope="col">{t('rules.note')}</th>
              <th scope="col">{t('rules.created')}</th>
              <th scope="col">{t('rules.activated')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.version}>
                <td className="nowrap">{v.version}</td>
                <td className="nowrap">
                  <StatusBadge v={v} />
                </td>
                <td>{v.note ?? ''}</td>
                <td className="nowrap">
                  {v.createdBy?.displayName ?? t('rules.shipped')}
                  <span className="cell-sub">{when(v.createdAt)}</span>
                </td>
                <td className="nowrap">
                  {v.activatedBy?.displayName ?? ''}
                  <span className="cell-sub">{when(v.activatedAt)}</span>
                </td>
                <td className="nowrap">
                  <button type="button" className="link-button" onClick={() => setBase(v.version)}>
                    {manage ? t('rules.editFrom') : t('rules.view')}
                  </button>{' '}
                  <button type="button" className="link-button" onClick={() => setCandidate(v.version)}>
                    {t('rules.dryRunThis')}
                  </button>{' '}
                  {manage && v.status !== 'active' && (
                    <ConfirmButton
                      label={t('rules.activate')}
                      question={t('rules.activateQuestion', { version: v.version })}
                      disabled={activate.isPending}
                      onConfirm={() => activate.mutate(v.version)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {items.length > 0 && <DryRunPanel versions={items} version={dryRunVersion} onVersion={setCandidate} />}
      {baseDetail.isPending && baseVersion !== '' && <Loading />}
      <ErrorNotice error={baseDetail.error} />
      {baseDetail.data && (
        <RuleSetEditor
          key={baseDetail.data.version}
          base={baseDetail.data}
          readOnly={!manage}
          onSaved={(version) => {
            setCandidate(version);
            setBase(version);
          }}
        />
      )}
    </div>
  );
}
