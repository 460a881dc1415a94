import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Feedback';
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
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [choice, setChoice] = useState<Record<TeamRole, string> | null>(null);
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
      await queryClient.invalidateQueries({ queryKey: ['team', caseId] });
      await queryClient.invalidateQueries({ queryKey: ['case', caseId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <section className="card" aria-labelledby="case-team" data-testid="case-team">
      <div className="section-head">
        <h2 id="case-team">{t('teams.title')}</h2>
        {canAssign && !editing && (
          <button type="button" className="button button-small" onClick={() => setEditing(true)} data-testid="team-edit">
            {t('teams.change')}
          </button>
        )}
      </div>
      {team.isPending && <Loading />}
      <ErrorNotice error={team.error} />
      {team.data && team.data.members.length === 0 && <p className="muted">{t('teams.empty')}</p>}
      {team.data && team.data.members.length > 0 && (
        <ul className="plain-list" data-testid="team-members">
          {team.data.members.map((m) => (
            <li key={`${m.staffId}-${m.role}`} data-testid="team-member">
              <strong>{m.displayName ?? m.staffId}</strong> · {t(`roles.${m.role}`)}
              {m.primary && <span className="badge">{t('teams.primary')}</span>}
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <form onSubmit={submit} className="form-grid">
          <p className="field-hint">{t('teams.intro')}</p>
          {TEAM_ROLES.map((r) => (
            <RoleSelect key={r} role={r} value={current[r]} onChange={(id) => setChoice({ ...current, [r]: id })} />
          ))}
          <ErrorNotice error={save.error} />
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
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
