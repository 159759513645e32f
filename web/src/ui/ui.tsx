/**
 * Small accessible building blocks: every input has a label, errors are tied to their field with
 * aria-describedby and announced, page titles move focus for screen-reader users after navigation.
 */
import { useEffect, useId, useRef, type ButtonHTMLAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Shaar`;
    ref.current?.focus();
  }, [title]);
  return <h1 ref={ref} tabIndex={-1}>{children}</h1>;
}

export function Button({ variant = 'primary', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'link' }) {
  return <button type="button" {...props} className={`btn btn-${variant} ${props.className ?? ''}`} />;
}

interface FieldProps { label: string; hint?: string | undefined; error?: string | undefined; required?: boolean | undefined; children: (a11y: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean; required?: boolean }) => ReactNode }

export function Field({ label, hint, error, required, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>{label}{required ? <span aria-hidden="true"> *</span> : null}</label>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true } : {}), ...(required ? { required: true } : {}) })}
      {error ? <p id={errorId} className="error-text" role="alert">{error}</p> : null}
    </div>
  );
}

export function TextInput(props: { label: string; hint?: string; error?: string | undefined; required?: boolean } & InputHTMLAttributes<HTMLInputElement>) {
  const { label, hint, error, required, ...rest } = props;
  return <Field label={label} hint={hint} error={error} required={required}>{(a) => <input {...rest} {...a} />}</Field>;
}

export function TextArea(props: { label: string; hint?: string; error?: string | undefined; required?: boolean } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { label, hint, error, required, ...rest } = props;
  return <Field label={label} hint={hint} error={error} required={required}>{(a) => <textarea rows={5} {...rest} {...a} />}</Field>;
}

export function Select(props: { label: string; hint?: string; error?: string | undefined; required?: boolean; children: ReactNode } & SelectHTMLAttributes<HTMLSelectElement>) {
  const { label, hint, error, required, children, ...rest } = props;
  return <Field label={label} hint={hint} error={error} required={required}>{(a) => <select {...rest} {...a}>{children}</select>}</Field>;
}

export function Alert({ kind = 'info', children }: { kind?: 'info' | 'error' | 'success'; children: ReactNode }) {
  return <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>;
}

export function Loading({ label }: { label: string }) {
  return <p className="loading" role="status" aria-live="polite">{label}</p>;
}
