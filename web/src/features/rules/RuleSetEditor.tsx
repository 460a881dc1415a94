import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Field } from '../../components/Field';
import { useRuleDescription, useRuleName } from '../analysis/ruleText';
import { createRuleSet, KINDS, type RuleJson, type RuleSetDetail, type RuleSetJson } from './api';
import { fenToYuanText, yuanTextToFen } from './money';

// Settings with a field of their own; any other top-level setting gets a widget by its type.
const NAMED = new Set(['version', 'scoreCap', 'thresholds', 'plannedMarkers', 'rules']);
/** Parameters that hold transaction channels: chosen with check boxes, by name. */
const CHANNEL_PARAMS = new Set(['channels', 'ignoreChannels']);
const CHANNELS = ['card', 'transfer', 'atm', 'counter', 'online', 'direct_debit'] as const;

/** Words or codes typed one per line or separated by commas (also the full-width comma). */
function parseList(text: string, numbers: boolean): (string | number)[] {
  const items = text
    .split(/[\n,，、]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return numbers ? items.map(Number) : items;
}

interface InputProps<T> {
  label: string;
  value: T;
  onChange: (value: T) => void;
  disabled: boolean;
  hint?: string;
  invalid?: boolean;
}

function NumberInput({ label, value, onChange, disabled, hint, invalid }: InputProps<number>) {
  const { t } = useTranslation();
  // The text is kept while typing, so that "0." or an empty field do not jump back.
  const [text, setText] = useState(String(value));
  return (
    <Field
      label={label}
      hint={invalid ? t('rules.editor.invalid') : hint}
      type="number"
      step="any"
      value={text}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      onChange={(e) => {
        setText(e.target.value);
        // An empty field goes to the server as null, which names the problem with its path.
        onChange(e.target.value === '' ? Number.NaN : Number(e.target.value));
      }}
    />
  );
}

/** An amount typed in yuan (up to two decimals) and kept in fen, as the rule set stores it. */
function YuanInput({ label, value, onChange, disabled, invalid }: InputProps<number>) {
  const { t } = useTranslation();
  const [text, setText] = useState(fenToYuanText(value));
  return (
    <Field
      label={label}
      hint={invalid ? t('rules.editor.invalid') : t('rules.editor.yuanHint')}
      inputMode="decimal"
      value={text}
      disabled={disabled}
      aria-invalid={invalid || undefined}
      onChange={(e) => {
        setText(e.target.value);
        onChange(yuanTextToFen(e.target.value));
      }}
    />
  );
}

function ListInput({ label, value, onChange, disabled, hint, invalid }: InputProps<unknown[]>) {
  const { t } = useTranslation();
  const id = useId();
  const numbers = value.length > 0 && value.every((v) => typeof v === 'number');
  const [text, setText] = useState(value.map(String).join(', '));
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={Math.min(3, Math.max(1, Math.ceil(text.length / 80)))}
        value={text}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseList(e.target.value, numbers));
        }}
      />
      <span className="field-hint">{invalid ? t('rules.editor.invalid') : hint}</span>
    </div>
  );
}

/** Transaction channels as check boxes named in the reader's language. */
function ChannelInput({ label, value, onChange, disabled, invalid }: InputProps<unknown[]>) {
  const { t } = useTranslation();
  const chosen = new Set(value.map(String));
  return (
    <fieldset className="field field-choices">
      <legend>{label}</legend>
      <div className="choices">
        {CHANNELS.map((c) => (
          <label key={c} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.has(c)}
              disabled={disabled}
              onChange={(e) => onChange(CHANNELS.filter((x) => (x === c ? e.target.checked : chosen.has(x))))}
            />
            {t(`alerts.txnChannel.${c}`)}
          </label>
        ))}
      </div>
      {invalid && <span className="field-hint">{t('rules.editor.invalid')}</span>}
    </fieldset>
  );
}

/** A widget chosen by the parameter: amounts in yuan, channels by name, numbers, lists, yes/no or text. */
function ValueInput(props: InputProps<unknown> & { name: string }) {
  const { name, value, label, disabled, invalid } = props;
  if (typeof value === 'number' && name.endsWith('Minor')) return <YuanInput {...props} value={value} />;
  if (typeof value === 'number') return <NumberInput {...props} value={value} />;
  if (Array.isArray(value) && CHANNEL_PARAMS.has(name)) return <ChannelInput {...props} value={value} />;
  if (Array.isArray(value)) return <ListInput {...props} value={value} />;
  if (typeof value === 'boolean') {
    return (
      <label className="checkbox">
        <input type="checkbox" checked={value} disabled={disabled} onChange={(e) => props.onChange(e.target.checked)} />
        {label}
      </label>
    );
  }
  if (typeof value === 'string')
    return (
      <Field
        label={label}
        value={value}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    );
  return (
    <div className="field">
      <span>{label}</span>
      <code>{JSON.stringify(value)}</code>
    </div>
  );
}

/** The paths (below `definition`) the server refused, e.g. `rules.new_payee_large.params.minAmountMinor`. */
function refusedPaths(error: unknown): Set<string> {
  if (!(error instanceof ApiError)) return new Set();
  return new Set(error.fieldErrors.map((f) => f.path.replace(/^body\.definition\./, '')));
}

function RuleFields({
  rule,
  disabled,
  refused,
  onChange,
}: {
  rule: RuleJson;
  disabled: boolean;
  refused: Set<string>;
  onChange: (rule: RuleJson) => void;
}) {
  const { t } = useTranslation();
  const ruleName = useRuleName();
  const ruleDescription = useRuleDescription();
  const params = Object.entries(rule.params);
  // Lists of words and codes get the full width; numbers, amounts and channels share the grid.
  const lists = params.filter(([name, v]) => Array.isArray(v) && !CHANNEL_PARAMS.has(name));
  const scalars = params.filter(([name, v]) => !Array.isArray(v) || CHANNEL_PARAMS.has(name));
  const setParam = (name: string, value: unknown) => onChange({ ...rule, params: { ...rule.params, [name]: value } });
  const label = (name: string) => t(`analysis.params.${rule.id}.${name}`, { defaultValue: name });
  const bad = (name: string) => refused.has(`rules.${rule.id}.params.${name}`);
  const anyBad = [...refused].some((p) => p.startsWith(`rules.${rule.id}.`));
  return (
    <details className="rule-card" data-testid={`rule-${rule.id}`} open={anyBad || undefined}>
      <summary>
        <span className="rule-name">{ruleName(rule.id)}</span>
        {rule.weight === 0 ? (
          <span className="badge">{t('rules.editor.off')}</span>
        ) : (
          <span className="badge badge-active">{t('rules.editor.weightValue', { weight: rule.weight })}</span>
        )}
        <span className="rule-description muted">{ruleDescription(rule.id)}</span>
      </summary>
      <div className="rule-body">
        <div className="filter-grid">
          <NumberInput
            label={t('rules.editor.weight')}
            value={rule.weight}
            disabled={disabled}
            hint={t('rules.editor.weightHint')}
            invalid={refused.has(`rules.${rule.id}.weight`)}
            onChange={(weight) => onChange({ ...rule, weight: Number(weight) })}
          />
          {scalars.map(([name, value]) => (
            <ValueInput
              key={name}
              name={name}
              label={label(name)}
              value={value}
              disabled={disabled}
              invalid={bad(name)}
              onChange={(v) => setParam(name, v)}
            />
          ))}
        </div>
        {lists.map(([name, value]) => (
          <ValueInput
            key={name}
            name={name}
            label={label(name)}
            value={value}
            disabled={disabled}
            hint={t('rules.editor.listHint')}
            invalid={bad(name)}
            onChange={(v) => setParam(name, v)}
          />
        ))}
      </div>
    </details>
  );
}

/**
 * The rule set of `base` as a form for a new version: the general settings, then the rules grouped
 * by kind, each folded to one line (its name, weight and what it looks for) until opened; every
 * parameter labelled in the reader's language, amounts in yuan. Read-only for those who may not
 * manage rule sets.
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
  const refused = refusedPaths(save.error);
  const set = (patch: Partial<RuleSetJson>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const others = Object.keys(draft).filter((k) => !NAMED.has(k));
  const setRule = (changed: RuleJson) => set({ rules: draft.rules.map((r) => (r.id === changed.id ? changed : r)) });

  return (
    <section className="card" aria-labelledby="rules-editor">
      <h2 id="rules-editor" className="card-title">
        {readOnly ? t('rules.editor.viewTitle', { version: base.version }) : t('rules.editor.title', { version: base.version })}
      </h2>
      {readOnly && <p className="muted">{t('rules.editor.readOnly')}</p>}
      <form className="form" onSubmit={submit}>
        <h3>{t('rules.editor.general')}</h3>
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
            invalid={refused.has('scoreCap')}
            onChange={(v) => set({ scoreCap: Number(v) })}
          />
          {KINDS.map((kind) => (
            <NumberInput
              key={kind}
              label={t('rules.editor.threshold', { kind: t(`rules.kind.${kind}`) })}
              value={draft.thresholds[kind]}
              disabled={readOnly}
              invalid={refused.has(`thresholds.${kind}`)}
              onChange={(v) => set({ thresholds: { ...draft.thresholds, [kind]: Number(v) } })}
            />
          ))}
          {others.map((key) => (
            <ValueInput
              key={key}
              name={key}
              label={t(`analysis.settings.${key}`, { defaultValue: t('analysis.settings.unknown') })}
              value={draft[key]}
              disabled={readOnly}
              invalid={refused.has(key)}
              onChange={(v) => set({ [key]: v })}
            />
          ))}
        </div>
        <ListInput
          label={t('rules.editor.plannedMarkers')}
          hint={t('rules.editor.plannedMarkersHint')}
          value={draft.plannedMarkers}
          disabled={readOnly}
          invalid={[...refused].some((p) => p.startsWith('plannedMarkers'))}
          onChange={(v) => set({ plannedMarkers: v.map(String) })}
        />
        {KINDS.map((kind) => (
          <div key={kind} className="rule-group" data-testid={`rules-group-${kind}`}>
            <h3>{t(`rules.kind.${kind}`)}</h3>
            <p className="muted">{t('rules.editor.openHint')}</p>
            {draft.rules
              .filter((r) => r.kind === kind)
              .map((rule) => (
                <RuleFields key={rule.id} rule={rule} disabled={readOnly} refused={refused} onChange={setRule} />
              ))}
          </div>
        ))}
        {!readOnly && (
          <>
            <Field label={t('rules.editor.note')} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
            {save.error instanceof ApiError && save.error.fieldErrors.length > 0 ? (
              <p className="notice notice-error" role="alert">
                {t('rules.editor.refused', { count: save.error.fieldErrors.length })}
              </p>
            ) : (
              <ErrorNotice error={save.error} />
            )}
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
