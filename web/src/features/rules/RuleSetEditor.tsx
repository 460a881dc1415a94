import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { createRuleSet, KINDS, type RuleJson, type RuleSetDetail, type RuleSetJson } from './api';

// Settings with a field of their own; any other top-level setting gets a widget by its type.
const NAMED = new Set(['version', 'scoreCap', 'thresholds', 'plannedMarkers', 'rules']);

/** Words or codes typed one per line or separated by commas (also the full-width comma). */
function parseList(text: string, numbers: boolean): (string | number)[] {
  const items = text
    .split(/[\n,，]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return numbers ? items.map(Number) : items;
}

function NumberInput({ label, value, onChange, disabled, hint }: InputProps<number>) {
  // The text is kept while typing, so that "0." or an empty field do not jump back.
  const [text, setText] = useState(String(value));
  return (
    <Field
      label={label}
      hint={hint}
      type="number"
      step="any"
      value={text}
      disabled={disabled}
      onChange={(e) => {
        setText(e.target.value);
        // An empty field goes to the server as null, which names the problem with its path.
        onChange(e.target.value === '' ? Number.NaN : Number(e.target.value));
      }}
    />
  );
}

function ListInput({ label, value, onChange, disabled, hint }: InputProps<unknown[]>) {
  const id = useId();
  const numbers = value.length > 0 && value.every((v) => typeof v === 'number');
  const [text, setText] = useState(value.map(String).join(', '));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={Math.min(4, Math.max(1, Math.ceil(text.length / 60)))}
        value={text}
        disabled={disabled}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseList(e.target.value, numbers));
        }}
      />
      {hint && <span className="field-hint">{hint}</span>}
    </div>
  );
}

interface InputProps<T> {
  label: string;
  value: T;
  onChange: (value: T) => void;
  disabled: boolean;
  hint?: string;
}

/** A widget chosen by the JSON type of the value: number, list, yes/no or text. */
function ValueInput({ label, value, onChange, disabled }: InputProps<unknown>) {
  const { t } = useTranslation();
  const hint = label.endsWith('Minor') ? t('rules.editor.minorHint') : undefined;
  if (typeof value === 'number') return <NumberInput label={label} value={value} onChange={onChange} disabled={disabled} hint={hint} />;
  if (Array.isArray(value))
    return <ListInput label={label} value={value} onChange={onChange} disabled={disabled} hint={t('rules.editor.listHint')} />;
  if (typeof value === 'boolean') {
    return (
      <label className="checkbox">
        <input type="checkbox" checked={value} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
    );
  }
  if (typeof value === 'string')
    return <Field label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)} />;
  return (
    <div className="field">
      <span>{label}</span>
      <code>{JSON.stringify(value)}</code>
    </div>
  );
}

function RuleFields({ rule, disabled, onChange }: { rule: RuleJson; disabled: boolean; onChange: (rule: RuleJson) => void }) {
  const { t } = useTranslation();
  const params = Object.entries(rule.params);
  // Lists of words and codes get the full width; numbers and flags share the grid.
  const lists = params.filter(([, v]) => Array.isArray(v));
  const scalars = params.filter(([, v]) => !Array.isArray(v));
  const setParam = (name: string, value: unknown) => onChange({ ...rule, params: { ...rule.params, [name]: value } });
  return (
    <fieldset className="card" data-testid={`rule-${rule.id}`}>
      <legend>
        <code>{rule.id}</code> · {t(`rules.kind.${rule.kind}`)}
        {rule.weight === 0 && <span className="badge">{t('rules.editor.off')}</span>}
      </legend>
      <p className="muted">{rule.description}</p>
      <div className="filter-grid">
        <NumberInput
          label={t('rules.editor.weight')}
          value={rule.weight}
          disabled={disabled}
          hint={t('rules.editor.weightHint')}
          onChange={(weight) => onChange({ ...rule, weight: Number(weight) })}
        />
        {scalars.map(([name, value]) => (
          <ValueInput key={name} label={name} value={value} disabled={disabled} onChange={(v) => setParam(name, v)} />
        ))}
      </div>
      {lists.map(([name, value]) => (
        <ValueInput key={name} label={name} value={value} disabled={disabled} onChange={(v) => setParam(name, v)} />
      ))}
    </fieldset>
  );
}

/**
 * The rule set of `base` as a form for a new version: thresholds, score cap, markers and each
 * rule's weight and parameters. Read-only for those who may not manage rule sets.
 */
export function RuleSetEditor({ base, readOnly, onSaved }: { base: RuleSetDetail; readOnly: boolean; onSaved: (version: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RuleSetJson>(() => ({ ...structuredClone(base.definition), version: '' }));
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => createRuleSet(draft, note),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['rule-sets'] });
      onSaved(saved.version);
    },
  });
  const set = (patch: Partial<RuleSetJson>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const others = Object.keys(draft).filter((k) => !NAMED.has(k));

  return (
    <section className="card" aria-labelledby="rules-editor">
      <h2 id="rules-editor" className="card-title">
        {readOnly ? t('rules.editor.viewTitle', { version: base.version }) : t('rules.editor.title', { version: base.version })}
      </h2>
      {readOnly && <p className="muted">{t('rules.editor.readOnly')}</p>}
      <form className="form" onSubmit={submit}>
        <div className="filter-grid">
          {!readOnly && (
            <Field
              label={t('rules.editor.version')}
              hint={t('rules.editor.versionHint')}
              required
              maxLength={50}
              pattern="[A-Za-z0-9][A-Za-z0-9._\-]*"
              value={draft.version}
              onChange={(e) => set({ version: e.target.value })}
              data-testid="rules-version"
            />
          )}
          <NumberInput
            label={t('rules.editor.scoreCap')}
            value={draft.scoreCap}
            disabled={readOnly}
            onChange={(v) => set({ scoreCap: Number(v) })}
          />
          {KINDS.map((kind) => (
            <NumberInput
              key={kind}
              label={t('rules.editor.threshold', { kind: t(`rules.kind.${kind}`) })}
              value={draft.thresholds[kind]}
              disabled={readOnly}
              onChange={(v) => set({ thresholds: { ...draft.thresholds, [kind]: Number(v) } })}
            />
          ))}
          {others.map((key) => (
            <ValueInput key={key} label={key} value={draft[key]} disabled={readOnly} onChange={(v) => set({ [key]: v })} />
          ))}
        </div>
        <ListInput
          label={t('rules.editor.plannedMarkers')}
          hint={t('rules.editor.plannedMarkersHint')}
          value={draft.plannedMarkers}
          disabled={readOnly}
          onChange={(v) => set({ plannedMarkers: v.map(String) })}
        />
        {draft.rules.map((rule, i) => (
          <RuleFields
            key={rule.id}
            rule={rule}
            disabled={readOnly}
            onChange={(changed) => set({ rules: draft.rules.map((r, k) => (k === i ? changed : r)) })}
          />
        ))}
        {!readOnly && (
          <>
            <Field label={t('rules.editor.note')} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
            <ErrorNotice error={save.error} />
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={save.isPending} data-testid="rules-save">
                {t('rules.editor.save')}
              </button>
            </div>
          </>
        )}
      </form>
    </section>
  );
}
