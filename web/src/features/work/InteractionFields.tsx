import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { DEPARTMENTS, INTERACTION_KINDS, INTERACTION_OUTCOMES, type InteractionDraft } from './types';

/** The fields of an interaction (P3.2.1, P3.2.5): kind, time, outcome, notes and a need to forward. */
export function InteractionFields({ value, onChange }: { value: InteractionDraft; onChange: (next: InteractionDraft) => void }) {
  const { t } = useTranslation();
  const ids = { kind: useId(), at: useId(), outcome: useId(), notes: useId(), need: useId(), dept: useId() };
  const set = (patch: Partial<InteractionDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <div className="field">
        <label htmlFor={ids.kind}>{t('work.interaction.kind')}</label>
        <select
          id={ids.kind}
          value={value.kind}
          onChange={(e) => set({ kind: INTERACTION_KINDS.find((k) => k === e.target.value) ?? 'call' })}
        >
          {INTERACTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`work.interactionKind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.at}>{t('work.interaction.occurredAt')}</label>
        <input id={ids.at} type="datetime-local" value={value.occurredAt} onChange={(e) => set({ occurredAt: e.target.value })} required />
      </div>
      <div className="field">
        <label htmlFor={ids.outcome}>{t('work.interaction.outcome')}</label>
        <select
          id={ids.outcome}
          value={value.outcome}
          onChange={(e) => set({ outcome: INTERACTION_OUTCOMES.find((o) => o === e.target.value) ?? 'reached' })}
          data-testid="interaction-outcome"
        >
          {INTERACTION_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {t(`work.outcome.${o}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.notes}>{t('work.interaction.notes')}</label>
        <textarea id={ids.notes} rows={3} maxLength={4000} value={value.notes} onChange={(e) => set({ notes: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={ids.need}>{t('work.interaction.need')}</label>
        <textarea
          id={ids.need}
          rows={2}
          maxLength={2000}
          value={value.needDescription}
          onChange={(e) => set({ needDescription: e.target.value })}
        />
        <span className="field-hint">{t('work.interaction.needHint')}</span>
      </div>
      <div className="field">
        <label htmlFor={ids.dept}>{t('work.interaction.department')}</label>
        <select
          id={ids.dept}
          value={value.needDepartment}
          onChange={(e) => set({ needDepartment: DEPARTMENTS.find((d) => d === e.target.value) ?? '' })}
          required={value.needDescription.trim() !== ''}
        >
          <option value="">{t('staff.choose')}</option>
          {DEPARTMENTS.map((d) => (
            <option key={d} value={d}>
              {t(`work.department.${d}`)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
