/** Form pieces that keep labels, hints and errors tied together for screen readers. */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { ApiError } from '../api/client';

export interface FieldProps {
  label: string;
  value: string | number;
  onInput: (value: string) => void;
  type?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  min?: number;
  max?: number;
  multiline?: boolean;
  name?: string;
}

export function Field({ label, value, onInput, type = 'text', error, hint, required, autoComplete, min, max, multiline, name }: FieldProps) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id, name, value, required, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {multiline ? <textarea {...common} rows={4} /> : <input {...common} type={type as 'text'} autoComplete={autoComplete} min={min} max={max} />}
      {hint && <small id={`${id}-hint`}>{hint}</small>}
      {error && <small id={`${id}-error`} class="error-text">{error}</small>}
    </div>
  );
}

/** The server's problem, in words: title, detail, and field errors that have no field on screen. */
export function ProblemNote({ error, shown = [] }: { error: unknown; shown?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <p class="problem" role="alert">{String((error as Error).message ?? error)}</p>;
  const rest = (error.problem.errors ?? []).filter((e) => !shown.includes(e.path.replace(/^(body|query|params)\./, '')));
  return (
    <div class="problem" role="alert">
      <strong>{error.problem.title}</strong> {error.problem.detail}
      {rest.length > 0 && <ul>{rest.map((e) => <li key={e.path}><code>{e.path}</code>: {e.message}</li>)}</ul>}
    </div>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  const id = useId();
  return (
    <section aria-labelledby={id} class="panel">
      <div class="panel-head"><h2 id={id}>{title}</h2>{actions}</div>
      {children}
    </section>
  );
}

/** A labelled choice: `options` are values, or [value, label] pairs. */
export function SelectField({ label, value, onChange, options, hint }: { label: string; value: string; onChange: (value: string) => void; options: readonly (string | readonly [string, string])[]; hint?: string }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {options.map((o) => {
          const [v, text] = typeof o === 'string' ? [o, o] : o;
          return <option key={v} value={v}>{text}</option>;
        })}
      </select>
      {hint && <small id={`${id}-hint`}>{hint}</small>}
    </div>
  );
}

/** A labelled checkbox. */
export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div class="field check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}
