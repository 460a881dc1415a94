import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { hasPermission, readsLeadsOfCases } from '../../app/access';
import { useBranchName } from '../../app/branches';
import { useSignedIn } from '../../auth/session';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { type TabItem, TabPanel, Tabs } from '../../components/Tabs';
import { formatInstant } from '../../i18n/format';
import { CaseDiscussion } from '../communication/CaseDiscussion';
import { CaseAccessNotice } from '../teams/CaseAccessNotice';
import { TeamPanel } from '../teams/TeamPanel';
import { useTeam } from '../teams/teamsApi';
import { CaseTimeline } from '../work/CaseTimeline';
import { CaseServices } from '../services/CaseServices';
import { RiskAssessmentCard } from '../risk/RiskAssessmentCard';
import { CaseWorkPanel } from '../work/CaseWorkPanel';
import { useCaseTasks } from '../work/workApi';
import { CaseStatusBadge, SeverityBadge, UpdateStateBadge, useCaseContext } from './CaseBits';
import { CaseConsents } from './CaseConsents';
import { AddConsentDialog, CloseCaseDialog, EditCaseDialog, WithdrawConsentDialog } from './CaseDialogs';
import { CaseHistory } from './CaseHistory';
import { CaseOverview, Fact } from './CaseOverview';
import { type CaseTab, isCaseTab } from './caseLinks';
import { useCase } from './useCase';

type Dialogs = 'edit' | 'consent' | 'close' | { withdraw: string } | null;

/** The labels of the case page's tabs, with what needs attention beside them. */
function useCaseTabs(
  caseId: string,
  opts: { discussion: boolean; canAssign: boolean; consentWithdrawn: boolean; services: boolean; risk: boolean },
): { items: TabItem<CaseTab>[]; unstaffed: boolean } {
  const { t } = useTranslation();
  const tasks = useCaseTasks(caseId);
  const team = useTeam(caseId);
  const open = (tasks.data?.items ?? []).filter((task) => task.status === 'open');
  const overdue = open.some((task) => task.dueState === 'overdue');
  const unstaffed = opts.canAssign && team.data !== undefined && team.data.members.length === 0;
  const badge = (text: string | number, alert = false) => <span className={alert ? 'tab-badge tab-badge-alert' : 'tab-badge'}>{text}</span>;
  const items: TabItem<CaseTab>[] = [
    { key: 'overview', label: t('cases.tabs.overview') },
    {
      key: 'team',
      label: t('cases.tabs.team'),
      badge: unstaffed ? badge(t('cases.tabs.unstaffed'), true) : tasks.data ? badge(open.length, overdue) : undefined,
    },
  ];
  if (opts.services) items.push({ key: 'services', label: t('services.case.tab') });
  if (opts.risk) items.push({ key: 'risk', label: t('risk.tab') });
  if (opts.discussion) items.push({ key: 'discussion', label: t('cases.tabs.discussion') });
  items.push({ key: 'timeline', label: t('cases.tabs.timeline') });
  items.push({ key: 'consent', label: t('cases.tabs.consent'), badge: opts.consentWithdrawn ? badge('!', true) : undefined });
  return { items, unstaffed };
}

/**
 * The case file (P5.2–P5.3) in tabs: the overview (sections by need-to-know, upkeep), the team and
 * its work, the discussion, the timeline and the consents. `?tab=` opens one, so that links (after
 * registration, from My work, from a notification) lead straight to what is to be done.
 */
export function CasePage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const { user } = useSignedIn();
  const branchName = useBranchName();
  const reasonId = useId();
  const [reason, setReason] = useState<string | null>(null);
  const [reasonDraft, setReasonDraft] = useState('');
  const [dialog, setDialog] = useState<Dialogs>(null);

  const detail = useCase(id, reason);
  const record = detail.data?.data;
  const etag = detail.data?.etag ?? null;
  const context = useCaseContext(record);
  const active = record?.status === 'active';
  const visible = record?.sensitiveVisible === true;
  const supervisor = hasPermission(user.roles, 'case.register');
  const inspector = hasPermission(user.roles, 'audit.read') && !hasPermission(user.roles, 'case.update');
  // The thread is the team's (P9.1): an inspector's stated reason opens the file, not the discussion.
  const discussion = visible && !inspector && hasPermission(user.roles, 'communication.use');
  const { items: tabs, unstaffed } = useCaseTabs(id, {
    discussion,
    canAssign: active && hasPermission(user.roles, 'team.assign'),
    consentWithdrawn: record?.consentWithdrawn === true,
    services: hasPermission(user.roles, 'service.read'),
    // The assessment is the team's and the branch supervisors' (the server decides; others see no tab).
    risk: visible && !inspector && hasPermission(user.roles, 'risk.read'),
  });
  const asked = search.get('tab');
  const tab: CaseTab = isCaseTab(asked) && tabs.some((item) => item.key === asked) ? asked : 'overview';
  const choose = (next: CaseTab) => setSearch(next === 'overview' ? {} : { tab: next }, { replace: true });

  if (detail.isPending) return <Loading />;
  if (!record) {
    return (
      <div className="page">
        <ErrorNotice error={detail.error} />
        <Link to="/cases">{t('cases.backToList')}</Link>
      </div>
    );
  }

  const b = record.basic;
  const canUpdate = active && visible && hasPermission(user.roles, 'case.update');
  const submitReason = (e: FormEvent) => {
    e.preventDefault();
    if (reasonDraft.trim().length >= 5) setReason(reasonDraft.trim());
  };
  const referringPartner =
    b.partnerId && context.partnerName(b.partnerId) ? { id: b.partnerId, name: context.partnerName(b.partnerId) ?? '' } : null;

  return (
    <div className="page">
      <nav className="breadcrumb" aria-label={t('nav.breadcrumb')}>
        <Link to="/cases">{t('nav.cases')}</Link>
        <span aria-hidden="true">/</span>
        <span>{record.caseNumber}</span>
      </nav>

      <section className="card case-head">
        <div className="title-row">
          <h1 data-testid="case-title">{b.customer.name}</h1>
          <span className="chip chip-strong mono" data-testid="case-number">
            {record.caseNumber}
          </span>
          <CaseStatusBadge status={record.status} />
          <SeverityBadge severity={b.severity} />
          {record.consentWithdrawn && (
            <span className="badge badge-overdue" data-testid="case-consent-flag">
              {t('cases.consentWithdrawn')}
            </span>
          )}
          <span className="title-actions">
            <Link to={`/cases/${encodeURIComponent(record.id)}/print`} className="button" data-testid="case-print">
              {t('cases.print.open')}
            </Link>
            {active && visible && hasPermission(user.roles, 'service.request') && (
              <Link to={`/cases/${encodeURIComponent(record.id)}/wealth-plan`} className="button" data-testid="case-wealth-plan">
                {t('wealthPlan.open')}
              </Link>
            )}
            {canUpdate && (
              <button type="button" className="button button-primary" onClick={() => setDialog('edit')} data-testid="case-edit">
                {t('common.edit')}
              </button>
            )}
            {active && supervisor && (
              <button type="button" className="button button-danger-outline" onClick={() => setDialog('close')} data-testid="case-close">
                {t('cases.close.open')}
              </button>
            )}
          </span>
        </div>
        <dl className="facts facts-4">
          <Fact label={t('customers.field.customerNumber')}>
            {hasPermission(user.roles, 'customer.read') ? (
              <Link className="mono" to={`/customers/${encodeURIComponent(b.customer.id)}`}>
                {b.customer.customerNumber}
              </Link>
            ) : (
              <span className="mono">{b.customer.customerNumber}</span>
            )}
          </Fact>
          <Fact label={t('customers.field.branch')}>{branchName(b.branch.code)}</Fact>
          <Fact label={t('cases.field.discoveryChannel')}>
            {t(`leads.channel.${b.channel}`, { defaultValue: b.channel })}
            {referringPartner && <span className="muted">{referringPartner.name}</span>}
            {readsLeadsOfCases(user.roles) && <Link to={`/leads/${encodeURIComponent(b.leadId)}`}>{t('cases.openLead')}</Link>}
          </Fact>
          <Fact label={t('cases.field.registeredAt')}>{formatInstant(b.registeredAt, locale)}</Fact>
          <Fact label={t('cases.field.maintainer')}>{b.maintainer?.displayName ?? t('common.none')}</Fact>
          <Fact label={t('cases.field.reviewOn')}>
            <span className="mono">{b.reviewOn}</span>
          </Fact>
          <Fact label={t('cases.field.nextUpdateDue')}>
            <span className="mono">{b.nextUpdateDue}</span>
            <UpdateStateBadge state={record.updateState} />
          </Fact>
          <Fact label={t('cases.field.mobilityImpaired')}>{b.mobilityImpaired ? t('common.yes') : t('common.no')}</Fact>
          {b.closedAt && (
            <Fact label={t('cases.field.closed')} wide>
              {b.closeReason ? t(`cases.closeReason.${b.closeReason}`) : t('common.none')} · {formatInstant(b.closedAt, locale)}
              {record.closing?.note && <span className="muted">{record.closing.note}</span>}
            </Fact>
          )}
        </dl>
      </section>

      <CaseAccessNotice
        caseId={record.id}
        restricted={record.restricted}
        canBreakGlass={active && hasPermission(user.roles, 'breakglass.request')}
      />

      {!visible && inspector && reason === null && (
        <form className="notice notice-info reason-form" onSubmit={submitReason}>
          <p>{t('cases.inspectorReason.intro')}</p>
          <label htmlFor={reasonId}>{t('cases.inspectorReason.label')}</label>
          <div className="toolbar-form">
            <input
              id={reasonId}
              value={reasonDraft}
              onChange={(e) => setReasonDraft(e.target.value)}
              minLength={5}
              maxLength={500}
              required
            />
            <button type="submit" className="button" disabled={reasonDraft.trim().length < 5}>
              {t('cases.inspectorReason.submit')}
            </button>
          </div>
        </form>
      )}

      <Tabs items={tabs} active={tab} onChange={choose} label={t('cases.tabs.label')} idBase="case" />
      <TabPanel idBase="case" tabKey={tab}>
        {tab === 'overview' && <CaseOverview record={record} master={context.customer} />}
        {tab === 'team' && (
          // A case without a team has no work yet: its team form comes first (the keys keep each panel's state as they swap).
          <div className="grid-work">
            {unstaffed && <TeamPanel key="team" caseId={record.id} canAssign />}
            <CaseWorkPanel key="work" caseId={record.id} active={active} />
            {!unstaffed && <TeamPanel key="team" caseId={record.id} canAssign={active && hasPermission(user.roles, 'team.assign')} />}
          </div>
        )}
        {tab === 'services' && <CaseServices record={record} />}
        {tab === 'risk' && (
          <RiskAssessmentCard caseId={record.id} canApprove={active && hasPermission(user.roles, 'risk.approve')} userId={user.id} />
        )}
        {tab === 'discussion' && discussion && <CaseDiscussion caseId={record.id} />}
        {tab === 'timeline' && (
          <>
            <CaseTimeline caseId={record.id} reason={reason} />
            <CaseHistory history={record.history} />
          </>
        )}
        {tab === 'consent' && (
          <CaseConsents
            record={record}
            canUpdate={canUpdate}
            partnerName={context.partnerName}
            onAdd={() => setDialog('consent')}
            onWithdraw={(c) => setDialog({ withdraw: c.id })}
          />
        )}
      </TabPanel>

      {dialog === 'edit' && (
        <EditCaseDialog record={record} etag={etag} onClose={() => setDialog(null)} onReload={() => void detail.refetch()} />
      )}
      {dialog === 'consent' && <AddConsentDialog caseId={record.id} partner={referringPartner} onClose={() => setDialog(null)} />}
      {dialog === 'close' && <CloseCaseDialog caseId={record.id} onClose={() => setDialog(null)} />}
      {dialog !== null && typeof dialog === 'object' && (
        <WithdrawConsentDialog caseId={record.id} consentId={dialog.withdraw} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}
