/**
 * Deciding a request (an extension, a review): a button per decision; pressing one opens a small form with the
 * reason (required for some decisions) and the confirming button. Escape or Cancel closes it and focus returns
 * to the button that opened it.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, TextArea } from '../../ui/ui.js';

export interface DecisionKind {
  key: string;
  /** The button that opens the form, e.g. "Approve". */
  label: string;
  /** The form's heading and submit button, e.g. "Approve the extension". */
  confirm: string;
  reasonLabel: string;
  reasonHint?: string;
  reasonRequired: boolean;
  variant?: 'primary' | 'secondary' | 'danger';
}

const MIN_REASON = 3;

export function Decision({ kinds, subject, onDecide }: {
  kinds: DecisionKind[];
  /** What is decided, for the buttons' accessible names (e.g. the registration number). */
  subject: string;
  /** Sends the decision; resolves to an error message, or null when done. */
  onDecide: (kind: string, reason: string) => Promise<string | null>;
}) {
  const { t } = useTranslation(['staff', 'common']);
  const [open, setOpen] = useState<string | null>(null);
  const buttons = useRef<Record<string, HTMLButtonElement | null>>({});
  const kind = kinds.find((k) => k.key === open) ?? null;
  const close = () => {
    const was = open;
    setOpen(null);
    requestAnimationFrame(() => { if (was) buttons.current[was]?.focus(); });
  };
  return (
    <div className="decision">
      <div className="row-actions">
        {kinds.map((k) => (
          <button key={k.key} type="button" ref={(el) => { buttons.current[k.key] = el; }} className={`btn btn-${open === k.key ? 'primary' : 'secondary'}`}
            aria-expanded={open === k.key} onClick={() => setOpen(open === k.key ? null : k.key)}>
            {k.label}<span className="visually-hidden">: {subject}</span>
          </button>
        ))}
      </div>
      {kind ? <DecisionForm key={kind.key} kind={kind} onCancel={close} onDecide={(reason) => onDecide(kind.key, reason)} cancelLabel={t('common:cancel')} /> : null}
    </div>
  );
}

function DecisionForm({ kind, onCancel, onDecide, cancelLabel }: {
  kind: DecisionKind; onCancel: () => void; onDecide: (reason: string) => Promise<string | null>; cancelLabel: string;
}) {
  const { t } = useTranslation('staff');
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const headingId = useId();
  useEffect(() => { formRef.current?.querySelector('textarea')?.focus(); }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const r = reason.trim();
    if (kind.reasonRequired && r.length < MIN_REASON) {
      setFieldError(t('form.reasonRequired'));
      formRef.current?.querySelector('textarea')?.focus();
      return;
    }
    setFieldError(undefined);
    setError(null);
    setBusy(true);
    try {
      const problem = await onDecide(r);
      if (problem) setError(problem);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="decision-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={headingId}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
      <h3 id={headingId}>{kind.confirm}</h3>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <TextArea label={kind.reasonLabel} hint={kind.reasonHint} rows={3} maxLength={2000} value={reason}
        onChange={(e) => setReason(e.target.value)} required={kind.reasonRequired} error={fieldError} />
      <div className="form-buttons">
        <Button type="submit" variant={kind.variant ?? 'primary'} disabled={busy}>{busy ? t('form.sending') : kind.confirm}</Button>
        <Button variant="secondary" onClick={onCancel}>{cancelLabel}</Button>
      </div>
    </form>
  );
}
