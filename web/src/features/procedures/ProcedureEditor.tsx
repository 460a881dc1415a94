import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { Loading } from '../../components/Feedback';
import { formatInstant } from '../../i18n/format';
import { type ProcedureInput, STEP_ROLES, type TypeProcedure } from './api';

type Role = (typeof STEP_ROLES)[number];
interface DraftStep {
  code: string;
  zh: string;
  en: string;
  role: Role;
  control: boolean;
  checks: string | null;
}

/** The ordered steps of a type's procedure as an editable list: each with its names, role and control flag. */
function StepsEditor({ steps, onChange }: { steps: DraftStep[]; onChange: (steps: DraftStep[]) => void }) {
  const { t, i18n } = useTranslation();
  const set = (i: number, change: Partial<DraftStep>) => onChange(steps.map((s, j) => (i === j ? { ...s, ...change } : s)));
  const move = (i: number, by: number) => {
    const next = [...steps];
    const [s] = next.splice(i, 1);
    if (s) next.splice(i + by, 0, s);
    onChange(next);
  };
  const nameOf = (s: DraftStep) => (i18n.language.startsWith('zh') ? s.zh : s.en) || t('procedures.editor.unnamed');
  return (
    <ol className="procedure-steps" data-testid="procedure-editor-steps">
      {steps.map((s, i) => {
        const makers = steps.slice(0, i).filter((m) => !m.control);
        return (
          <li key={s.code} className="form-section">
            <div className="field-inline">
              <Field
                label={t('procedures.editor.nameZh')}
                value={s.zh}
                onChange={(e) => set(i, { zh: e.target.value })}
                maxLength={60}
                required
              />
              <Field
                label={t('procedures.editor.nameEn')}
                value={s.en}
                onChange={(e) => set(i, { en: e.target.value })}
                maxLength={80}
                required
              />
              <label className="field">
                {t('procedures.editor.role')}
                <select value={s.role} onChange={(e) => set(i, { role: STEP_ROLES.find((r) => r === e.target.value) ?? s.role })}>
                  {STEP_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`roles.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <div className="field-inline">
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={s.control}
                  disabled={makers.length === 0}
                  onChange={(e) => set(i, { control: e.target.checked, checks: e.target.checked ? (makers.at(-1)?.code ?? null) : null })}
                />
                {t('procedures.editor.control')}
              </label>
              {s.control && (
                <label className="field">
                  {t('procedures.editor.checks')}
                  <select value={s.checks ?? ''} onChange={(e) => set(i, { checks: e.target.value || null })}>
                    {makers.map((m) => (
                      <option key={m.code} value={m.code}>
                        {nameOf(m)}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <button type="button" className="button button-small" onClick={() => move(i, -1)} disabled={i === 0}>
                {t('procedures.editor.up')}
              </button>
              <button type="button" className="button button-small" onClick={() => move(i, 1)} disabled={i === steps.length - 1}>
                {t('procedures.editor.down')}
              </button>
              <button type="button" className="button button-small" onClick={() => onChange(steps.filter((_, j) => j !== i))}>
                {t('procedures.editor.remove')}
              </button>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** The admin's editor of a service type's procedure: saving publishes a new version; requests already made keep theirs. */
export function ProcedureEditorDialog({ typeCode, typeName, onClose }: { typeCode: string; typeName: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['procedures', 'type', typeCode];
  const current = useQuery({
    queryKey: key,
    queryFn: () => request<TypeProcedure>('GET', `/api/v1/service-types/${encodeURIComponent(typeCode)}/procedure`).then((r) => r.data),
  });
  const [draft, setDraft] = useState<DraftStep[] | null>(null);
  const steps: DraftStep[] =
    draft ??
    (current.data?.steps ?? []).map((s) => ({
      code: s.code,
      zh: s.name.zh,
      en: s.name.en,
      role: s.role,
      control: s.control,
      checks: s.checks,
    }));
  const publish = useMutation({
    mutationFn: (body: ProcedureInput) =>
      request<TypeProcedure>('PUT', `/api/v1/admin/service-types/${encodeURIComponent(typeCode)}/procedure`, {
        body,
        headers: { 'if-match': `"${current.data?.version ?? 0}"` },
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    publish.mutate({
      steps: steps.map((s) => ({
        code: s.code,
        zh: s.zh.trim(),
        en: s.en.trim(),
        role: s.role,
        control: s.control,
        checks: s.control ? s.checks : null,
      })),
    });
  };
  return (
    <Dialog title={t('procedures.editor.title', { type: typeName })} onClose={onClose} wide>
      {current.isPending ? (
        <Loading />
      ) : (
        <form className="form" onSubmit={submit} data-testid="procedure-editor">
          <p className="field-hint">
            {current.data?.version
              ? t('procedures.editor.current', {
                  version: current.data.version,
                  at: current.data.publishedAt ? formatInstant(current.data.publishedAt, i18n.language) : '',
                })
              : t('procedures.editor.noneYet')}{' '}
            {t('procedures.editor.hint')}
          </p>
          <StepsEditor steps={steps} onChange={setDraft} />
          <button
            type="button"
            className="button button-small"
            disabled={steps.length >= 20}
            // A code the reader never sees: only the names are theirs to write.
            onClick={() =>
              setDraft([
                ...steps,
                { code: `step_${Date.now().toString(36)}`, zh: '', en: '', role: 'customer_manager', control: false, checks: null },
              ])
            }
            data-testid="procedure-add-step"
          >
            {t('procedures.editor.add')}
          </button>
          <ErrorNotice error={current.error ?? publish.error} />
          <div className="form-actions">
            <button type="button" className="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              className="button button-primary"
              disabled={publish.isPending || steps.length === 0}
              data-testid="procedure-publish"
            >
              {t('procedures.editor.publish')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
