import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

/** A labelled input: the label is tied to the input, the hint is announced with it. */
export function Field({ label, hint, ...input }: { label: string; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? hintId : undefined} {...input} />
      {hint && (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      )}
    </div>
  );
}
