import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
import { useRefreshCase } from '../cases/caseLinks';
import { useColleagues } from '../leads/Colleagues';
import { TEAM_ROLES, type Team, type TeamRole, useTeam } from './teamsApi';

/** One select per team role, offering the colleagues of the branch who hold it. */
function RoleSelect({ role, value, onChange }: { role: TeamRole; value: string; onChange: (id: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const colleagues = useColleagues();
  const items = (colleagues.data?.items ?? []).filter((c) => c.roles.includes(role));
  return (
    <div className="field">
      <label htmlFor={id}>
        {t(`roles.${role}`)}
        {role === 'customer_manager' ? ` (${t('teams.primary')})` : ''}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required={role === 'customer_manager'}
        data-testid={`team-role-${role}`}
      >
        <option value="">{t('teams.nobody')}</option>
        {items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.displayName}
          </option>
        ))}
      </select>
    </div>
  );
}

function initialChoice(team: Team | undefined): Record<TeamRole, string> {
  const choice: Record<TeamRole, string> = {
    customer_manager: '',
    wealth_manager: '',
    risk_officer: '',
    operations: '',
    service_agent: '',
  };
  for (const m of team?.members ?? []) if (choice[m.role] === '' || m.primary) choice[m.role] = m.staffId;
  return choice;
}

/** The case's service team (P3.1): who is on it, and for the branch's supervisors the form to change it. */
export function TeamPanel({ caseId, canAssign }: { caseId: string; canAssign: boolean }) {
  const { t } = useTranslation();
  const team = useTeam(caseId);
  // The team change creates and cancels duties (docs/architecture.md): tasks and timeline change too.
  const refreshCase = useRefreshCase(caseId);
  const [editing, setEditing] = useState(false);
  const [choice, setChoice] = useState<Record<TeamRole, string> | null>(null);
  const [saved, setSaved] = useState(false);
  const current = choice ?? initialChoice(team.data);
  const save = useMutation({
    mutationFn: () =>
      request<Team>('PUT', `/api/v1/cases/${encodeURIComponent(caseId)}/team`, {
        body: {
          members: TEAM_ROLES.filter((r) => current[r] !== '').map((r) => ({
            staffId: current[r],
            role: r,
            ...(r === 'customer_manager' ? { primary: true } : {}),
          })),
        },
      }),
    onSuccess: async () => {
      setEditing(false);
      setChoice(null);
      setSaved(true);
      await refreshCase();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.mutate();
  };
  const empty = team.data !== undefined && team.data.members.length === 0;
  // A case without a team is a supervisor's next step: the form is open from the start.
  const showForm = canAssign && (editing || empty);

  return (
    <section className="card" aria-labelledby="case-team" data-testid="case-team">
      <div className="section-head">
        <h2 id="case-team">{t('teams.title')}</h2>
        {canAssign && !showForm && (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
            data-testid="team-edit"
          >
            {t('teams.change')}
          </button>
        )}
      </div>
      {team.isPending && <Loading />}
      <ErrorNotice error={team.error} />
      {saved && (
        <p className="notice notice-success" role="status" data-testid="team-saved">
          {t('teams.saved')}
        </p>
      )}
      {empty &&
        (canAssign ? <p className="notice notice-info">{t('cases.tabs.teamMissing')}</p> : <p className="muted">{t('teams.empty')}</p>)}
      {team.data && team.data.members.length > 0 && (
        <ul className="team-list" data-testid="team-members">
          {team.data.members.map((m) => (
            <li key={`${m.staffId}-${m.role}`} data-testid="team-member">
              <span className="muted">{t(`roles.${m.role}`)}</span>
              <span>
                <strong>{m.displayName ?? t('common.none')}</strong>
                {m.primary && <span className="badge">{t('teams.primary')}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {showForm && (
        <form onSubmit={submit} className="form" data-testid="team-form">
          <p className="field-hint">{t('teams.intro')}</p>
          {TEAM_ROLES.map((r) => (
            <RoleSelect key={r} role={r} value={current[r]} onChange={(id) => setChoice({ ...current, [r]: id })} />
          ))}
          <ErrorNotice error={save.error} />
          <div className="form-actions">
            {!empty && (
              <button type="button" className="button" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </button>
            )}
            <button
              type="submit"
              className="button button-primary"
              disabled={save.isPending || current.customer_manager === ''}
              data-testid="team-save"
            >
              {t('teams.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
