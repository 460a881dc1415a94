import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ConditionSelect, MoneyField } from '../cases/CaseFields';
import { yuanToMoney } from '../cases/money';

/** The supervisor's finding against each part of the definition of a critical-illness customer, as typed. */
export interface DefinitionDraft {
  conditionCategory: string;
  lifeAffected: boolean;
  lifeEffect: string;
  financesAffected: boolean;
  lostIncome: string;
  medicalCosts: string;
  debts: string;
  financesUnknownReason: string;
}

/** An empty finding, starting from the condition a referral already named. */
export function newDefinitionDraft(category = ''): DefinitionDraft {
  return {
    conditionCategory: category,
    lifeAffected: false,
    lifeEffect: '',
    financesAffected: false,
    lostIncome: '',
    medicalCosts: '',
    debts: '',
    financesUnknownReason: '',
  };
}

const FIGURES = ['lostIncome', 'medicalCosts', 'debts'] as const;

/** True when the finding meets the definition: a condition, and life or finances seriously affected, each shown. */
export function definitionReady(d: DefinitionDraft): boolean {
  if (d.conditionCategory === '' || (!d.lifeAffected && !d.financesAffected)) return false;
  if (d.lifeAffected && d.lifeEffect.trim() === '') return false;
  if (FIGURES.some((k) => yuanToMoney(d[k]) === undefined)) return false;
  const figures = FIGURES.filter((k) => (yuanToMoney(d[k])?.amountMinor ?? 0) > 0);
  return !d.financesAffected || figures.length > 0 || d.financesUnknownReason.trim() !== '';
}

/** The finding as the API takes it (domain/definition.ts). */
export function definitionBody(d: DefinitionDraft) {
  const finances = Object.fromEntries(
    FIGURES.flatMap((k) => {
      const m = yuanToMoney(d[k]);
      return m ? [[k, m]] : [];
    }),
  );
  return {
    conditionCategory: d.conditionCategory,
    lifeAffected: d.lifeAffected,
    ...(d.lifeAffected ? { lifeEffect: d.lifeEffect.trim() } : {}),
    financesAffected: d.financesAffected,
    ...(Object.keys(finances).length > 0 ? { finances } : {}),
    ...(d.financesUnknownReason.trim() ? { financesUnknownReason: d.financesUnknownReason.trim() } : {}),
  };
}

/**
 * Confirming a lead is judging the customer against each part of the definition: the condition,
 * whether it seriously affects life, whether it seriously affects the finances — with the figures
 * that show it, or why they are not known yet.
 */
export function DefinitionFields({ value, onChange }: { value: DefinitionDraft; onChange: (d: DefinitionDraft) => void }) {
  const { t } = useTranslation();
  const lifeId = useId();
  const reasonId = useId();
  const set = (patch: Partial<DefinitionDraft>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="field definition" data-testid="lead-definition">
      <legend>{t('leads.definition.title')}</legend>
      <p className="field-hint">{t('leads.definition.intro')}</p>
      <ConditionSelect
        value={value.conditionCategory}
        onChange={(conditionCategory) => set({ conditionCategory })}
        testId="definition-category"
      />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.lifeAffected}
          onChange={(e) => set({ lifeAffected: e.target.checked })}
          data-testid="definition-life"
        />
        <span>{t('leads.definition.lifeAffected')}</span>
      </label>
      {value.lifeAffected && (
        <div className="field">
          <label htmlFor={lifeId}>{t('leads.definition.lifeEffect')}</label>
          <textarea
            id={lifeId}
            rows={2}
            maxLength={1000}
            value={value.lifeEffect}
            onChange={(e) => set({ lifeEffect: e.target.value })}
            placeholder={t('leads.definition.lifeEffectPlaceholder')}
            data-testid="definition-life-effect"
          />
        </div>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.financesAffected}
          onChange={(e) => set({ financesAffected: e.target.checked })}
          data-testid="definition-finances"
        />
        <span>{t('leads.definition.financesAffected')}</span>
      </label>
      {value.financesAffected && (
        <>
          <div className="grid-3 tight">
            {FIGURES.map((k) => (
              <MoneyField
                key={k}
                label={t(`leads.definition.${k}`)}
                value={value[k]}
                onChange={(v) => set({ [k]: v })}
                testId={`definition-${k}`}
              />
            ))}
          </div>
          <div className="field">
            <label htmlFor={reasonId}>{t('leads.definition.unknownReason')}</label>
            <input
              id={reasonId}
              maxLength={1000}
              value={value.financesUnknownReason}
              onChange={(e) => set({ financesUnknownReason: e.target.value })}
              placeholder={t('leads.definition.unknownReasonPlaceholder')}
            />
          </div>
        </>
      )}
      {!value.lifeAffected && !value.financesAffected && <p className="notice notice-info">{t('leads.definition.needsEffect')}</p>}
    </fieldset>
  );
}
