/**
 * What every admin page shares: the city from the address, loading and saving through the typed client with the
 * server's errors kept per field, the page frame with the section menu, the form panel that takes focus when it
 * opens, the status message announced after a change, the three-language name fieldset and the confirm dialog.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type DependencyList, type FormEvent, type ReactNode, type RefObject } from 'react';
import { NavLink, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import i18n, { formatDate, formatNumber } from '../../i18n/index.js';
import { api, type ApiError } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { pickName } from '../../app/cities.js';
import { Alert, Button, Loading, PageTitle, TextInput } from '../../ui/ui.js';
import { LOCALES, type Names } from './types.js';

// ---- the city and the signed-in admin ---------------------------------------------------------------------

export function useCity(): string {
  return useParams().city ?? '';
}

export function useIsAdmin(): boolean {
  const { me } = useSession();
  return !!me && me.kind === 'staff' && me.roles.includes('admin');
}

/** A name {ky, ru, en} in the language the page is shown in. */
export function useNameOf(): (names: Names | null | undefined) => string {
  const { i18n: instance } = useTranslation();
  return useCallback((names) => pickName(names ?? undefined, instance.language), [instance.language]);
}

// ---- requests ---------------------------------------------------------------------------------------------

/** A request the server refused (or that never reached it): its message, and its messages per field. */
export class RequestFailed extends Error {
  constructor(message: string, readonly status: number, readonly code: string, readonly fields: Record<string, string>) {
    super(message);
  }
}

/** Errors the server gives without a field path, and the field they are about. */
const FIELD_OF_CODE: Record<string, string> = {
  code_taken: 'code',
  email_taken: 'email',
  deadline_rule_exists: 'effectiveFrom',
  category_levels: 'parentId',
  routing_rule_exists: 'districtId',
};

export function failure(message: string, fields: Record<string, string> = {}): RequestFailed {
  return new RequestFailed(message, 0, 'client', fields);
}

function asFailure(err: unknown): RequestFailed {
  if (err instanceof RequestFailed) return err;
  return new RequestFailed(i18n.t(navigator.onLine ? 'common:error.generic' : 'common:error.offline'), 0, 'network', {});
}

/**
 * The data of an openapi-fetch answer, or a RequestFailed with the server's message and its messages per field.
 * (Like errorMessage and fieldErrors in api/client.ts, done here so that the residents' first-load bundle keeps no
 * code only admin pages use, and so that details that are not a list, e.g. {what} of a 404, are not iterated.)
 */
export async function unwrap<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (err) {
    throw asFailure(err);
  }
  if (result.error === undefined && result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as Partial<ApiError>;
  const message = body.error?.message ?? i18n.t('common:error.generic');
  const details: unknown = body.error?.details;
  const fields: Record<string, string> = {};
  // Only a list of {path, message} is about fields. A path without a message (e.g. invalid_reference) gets the
  // error's own message.
  if (Array.isArray(details)) {
    for (const d of details as { path?: unknown; message?: unknown }[]) {
      if (typeof d?.path === 'string' && d.path && !fields[d.path]) fields[d.path] = typeof d.message === 'string' && d.message ? d.message : message;
    }
  }
  const code = body.error?.code ?? '';
  const field = FIELD_OF_CODE[code];
  if (field && !fields[field]) fields[field] = message;
  throw new RequestFailed(message, result.response.status, code, fields);
}

/** The message for a field: its own, or the first of its parts (keywords.2 → keywords). */
export function fieldError(fields: Record<string, string> | undefined, key: string): string | undefined {
  if (!fields) return undefined;
  if (fields[key]) return fields[key];
  const part = Object.keys(fields).find((k) => k.startsWith(`${key}.`));
  return part ? fields[part] : undefined;
}

export interface Resource<T> { data: T | undefined; failure: RequestFailed | null; loading: boolean; reload(): Promise<void> }

/** Loads data when the page opens and when `deps` change; reload() after a change. A late answer never wins. */
export function useResource<T>(load: () => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; failure: RequestFailed | null; loading: boolean }>({ data: undefined, failure: null, loading: true });
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (ticket === latest.current) setState({ data, failure: null, loading: false });
    } catch (err) {
      if (ticket === latest.current) setState((s) => ({ ...s, failure: asFailure(err), loading: false }));
    }
  }, deps);
  useEffect(() => { void reload(); }, [reload]);
  return { ...state, reload };
}

/**
 * Runs a change: busy while it runs (a second submit meanwhile is ignored; buttons are not disabled, so focus never
 * falls off a pressed button), its failure kept for the form to show. Editing a field removes that field's message
 * (onFieldChange on the form: fields are matched by their name attribute, e.g. name="name.ky").
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const [problem, setProblem] = useState<RequestFailed | null>(null);
  const run = useCallback(async (change: () => Promise<void>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setProblem(null);
    try {
      await change();
    } catch (err) {
      setProblem(asFailure(err));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const onFieldChange = useCallback((e: FormEvent<HTMLFormElement>) => {
    const name = (e.target as { name?: unknown }).name;
    if (typeof name !== 'string' || !name) return;
    setProblem((p) => {
      if (!p) return p;
      const keys = Object.keys(p.fields).filter((k) => k === name || k.startsWith(`${name}.`));
      if (keys.length === 0) return p;
      const fields = Object.fromEntries(Object.entries(p.fields).filter(([k]) => !keys.includes(k)));
      return new RequestFailed(p.message, p.status, p.code, fields);
    });
  }, []);
  return { busy, problem, setProblem, run, onFieldChange };
}

/** Messages for required values left empty, checked before sending (the server's own are terser). */
export function missingFields(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v.trim() === '') out[k] = i18n.t('admin:validation.required');
  return out;
}

/** Throws the form's failure when some fields have messages. */
export function check(fields: Record<string, string>): void {
  if (Object.keys(fields).length > 0) throw failure(i18n.t('admin:validation.summary'), fields);
}

// ---- the page frame ---------------------------------------------------------------------------------------

export const SECTIONS = [
  { path: 'districts', key: 'districts' },
  { path: 'categories', key: 'categories' },
  { path: 'services', key: 'services' },
  { path: 'routing', key: 'routing' },
  { path: 'calendar', key: 'calendar' },
  { path: 'users', key: 'users' },
  { path: 'api-keys', key: 'apiKeys' },
  { path: 'webhooks', key: 'webhooks' },
  { path: 'imports', key: 'imports' },
  { path: 'xroad', key: 'xroad' },
] as const;

// ---- the dev outbox (embedded and demo mode) ---------------------------------------------------------------

/** GET /api/v1/dev/outbox: there only when the server keeps messages instead of sending them (DELIVERY=outbox). */
export const getOutbox = (limit: number) => api.GET('/api/v1/dev/outbox', { params: { query: { limit } } });

let outboxAnswers: Promise<boolean> | null = null;
/** Whether this server keeps a dev outbox: asked once per page load, and only for administrators. */
export function useOutboxAvailable(): boolean {
  const isAdmin = useIsAdmin();
  const [value, setValue] = useState(false);
  useEffect(() => {
    if (!isAdmin) return;
    outboxAnswers ??= getOutbox(1)
      .then((r) => r.response.ok)
      .catch(() => { outboxAnswers = null; return false; });
    let live = true;
    void outboxAnswers.then((ok) => { if (live) setValue(ok); });
    return () => { live = false; };
  }, [isAdmin]);
  return isAdmin && value;
}

export function AdminNav() {
  const { t } = useTranslation('admin');
  const city = useCity();
  const outbox = useOutboxAvailable();
  const base = `/staff/${city}/admin`;
  return (
    <nav className="admin-nav" aria-label={t('nav.label')}>
      <ul>
        <li><NavLink to={base} end>{t('home.title')}</NavLink></li>
        {SECTIONS.map((s) => <li key={s.path}><NavLink to={`${base}/${s.path}`}>{t(`${s.key}.title`)}</NavLink></li>)}
        {outbox ? <li><NavLink to={`${base}/outbox`}>{t('outbox.title')}</NavLink></li> : null}
      </ul>
    </nav>
  );
}

/** The section menu, the page's h1 (focused on arrival) and, for staff who are not admins, what they may do here. */
export function AdminFrame({ title, intro, children, nav = true }: { title: string; intro?: string; children: ReactNode; nav?: boolean }) {
  const { t } = useTranslation('admin');
  const isAdmin = useIsAdmin();
  const documentTitle = nav ? `${title} — ${t('home.title')}` : title;
  return (
    <div className="admin">
      {nav ? <AdminNav /> : null}
      <PageTitle title={documentTitle}>{title}</PageTitle>
      {intro ? <p className="admin-intro">{intro}</p> : null}
      {isAdmin ? null : <Alert kind="info">{t('readOnly')}</Alert>}
      {children}
    </div>
  );
}

/** The list's heading, focused after a change, and the status message under it (announced politely). */
export function useAnnouncer() {
  const [message, setMessage] = useState('');
  const [focusRequest, setFocusRequest] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const timer = useRef<number | undefined>(undefined);
  const announce = useCallback((text: string) => {
    // Emptied first, so the same text said twice is announced twice.
    setMessage('');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setMessage(text), 80);
    setFocusRequest((n) => n + 1);
  }, []);
  // Focus moves once the change is rendered: the form or the modal dialog that asked is gone by then (a heading
  // outside an open modal dialog cannot take focus).
  useEffect(() => { if (focusRequest > 0) headingRef.current?.focus(); }, [focusRequest]);
  const clear = useCallback(() => { window.clearTimeout(timer.current); setMessage(''); }, []);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return { message, announce, clear, headingRef };
}

export function StatusMessage({ message }: { message: string }) {
  return <div role="status" aria-live="polite" className={message ? 'alert alert-success' : 'status-empty'}>{message}</div>;
}

/** A list section: its heading (the place focus returns to), an optional action, the status message. */
export function ListSection({ title, headingRef, action, message, children }: {
  title: string; headingRef: RefObject<HTMLHeadingElement | null>; action?: ReactNode; message: string; children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="admin-list" aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id} ref={headingRef} tabIndex={-1}>{title}</h2>
        {action}
      </div>
      <StatusMessage message={message} />
      {children}
    </section>
  );
}

/** Loading, a failure with a retry, or the data. */
export function ResourceView<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ReactNode }) {
  const { t } = useTranslation(['admin', 'common']);
  return (
    <>
      {resource.failure ? (
        <div className="alert alert-error" role="alert">
          <p>{resource.failure.message}</p>
          <Button variant="secondary" onClick={() => void resource.reload()}>{t('admin:retry')}</Button>
        </div>
      ) : null}
      {resource.data === undefined ? (resource.loading ? <Loading label={t('common:loading')} /> : null) : children(resource.data)}
    </>
  );
}

/** A table that scrolls sideways on narrow screens, reachable and scrollable by keyboard. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}

/**
 * A table's header row: one column heading per label, then an "actions" column whose heading only screen
 * readers hear (the buttons in it say what they do).
 */
export function TableHead({ columns, actionsLabel }: { columns: string[]; actionsLabel?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => <th key={c} scope="col">{c}</th>)}
        {actionsLabel ? <th scope="col"><span className="visually-hidden">{actionsLabel}</span></th> : null}
      </tr>
    </thead>
  );
}

/** Opening a form for an item (or a new one), and closing it with focus back where it was. */
export function useEditor<T>() {
  const [editing, setEditing] = useState<{ item: T | null; preset?: Record<string, string> } | null>(null);
  const trigger = useRef<HTMLElement | null>(null);
  const open = useCallback((item: T | null, preset?: Record<string, string>) => {
    trigger.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setEditing(preset ? { item, preset } : { item });
  }, []);
  const cancel = useCallback(() => {
    setEditing(null);
    const el = trigger.current;
    window.setTimeout(() => el?.focus(), 0);
  }, []);
  const close = useCallback(() => setEditing(null), []);
  return { editing, open, cancel, close };
}

/** A form's frame: its heading takes focus when it opens. */
export function FormPanel({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => { ref.current?.focus(); }, []);
  return (
    <section className="card form-panel" aria-labelledby={id}>
      <h2 id={id} ref={ref} tabIndex={-1}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * The server's answer to a failed save: its message above the form, and focus on the first field marked invalid
 * (whose own message is announced), or on the message when no field is to blame.
 */
export function FormProblem({ problem, formRef }: { problem: RequestFailed | null; formRef: RefObject<HTMLFormElement | null> }) {
  const { t } = useTranslation('admin');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!problem) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? ref.current)?.focus();
  }, [problem, formRef]);
  if (!problem) return null;
  // Field messages announce themselves; a message about no field is announced here. A message that is also a
  // field's own (e.g. a code already taken) is said once, beside the field.
  const fieldMessages = Object.values(problem.fields);
  const onFields = fieldMessages.length > 0;
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-error" role={onFields ? undefined : 'alert'}>
      {fieldMessages.includes(problem.message) ? t('validation.summary') : problem.message}
    </div>
  );
}

export function FormActions({ busy, onCancel, submitLabel }: { busy: boolean; onCancel: () => void; submitLabel?: string }) {
  const { t } = useTranslation(['admin', 'common']);
  return (
    <div className="form-actions">
      <Button type="submit" aria-disabled={busy || undefined}>{busy ? t('admin:saving') : submitLabel ?? t('common:save')}</Button>
      <Button variant="secondary" onClick={onCancel}>{t('common:cancel')}</Button>
    </div>
  );
}

// ---- inputs -----------------------------------------------------------------------------------------------

export const emptyNames = (): Names => ({ ky: '', ru: '', en: '' });

/** The three names of a thing, grouped: Kyrgyz, Russian, English. Each input carries its own language. */
export function NamesFieldset({ legend, hint, value, onChange, fields, path = 'name', required = true }: {
  legend: string; hint?: string; value: Names; onChange: (next: Names) => void; fields: Record<string, string> | undefined;
  path?: string; required?: boolean;
}) {
  const { t } = useTranslation('admin');
  const hintId = useId();
  return (
    <fieldset aria-describedby={hint ? hintId : undefined}>
      <legend>{legend}{required ? <span aria-hidden="true"> *</span> : null}</legend>
      {hint ? <p id={hintId} className="hint">{hint}</p> : null}
      {LOCALES.map((l) => (
        <TextInput
          key={l}
          name={`${path}.${l}`}
          lang={l}
          label={t(`names.${l}`)}
          value={value[l]}
          onChange={(e) => onChange({ ...value, [l]: e.target.value })}
          error={fields?.[`${path}.${l}`] ?? (l === 'ky' ? fields?.[path] : undefined)}
          required={required}
          maxLength={300}
          autoComplete="off"
        />
      ))}
    </fieldset>
  );
}

export function Checkbox({ label, hint, checked, onChange, disabled, name }: {
  label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void; disabled?: boolean; name?: string;
}) {
  const id = useId();
  return (
    <div className="checkbox-field">
      <input type="checkbox" id={id} name={name} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint ? <p id={`${id}-hint`} className="hint">{hint}</p> : null}
    </div>
  );
}

/** Checkboxes for a set of values (roles, scopes), grouped under a legend, with the group's error. */
export function CheckboxGroup<V extends string>({ name, legend, options, value, onChange, error, required, labelOf, hintOf }: {
  name: string; legend: string; options: readonly V[]; value: readonly V[]; onChange: (next: V[]) => void; error?: string | undefined;
  required?: boolean; labelOf: (v: V) => string; hintOf?: (v: V) => string;
}) {
  const errorId = useId();
  return (
    <fieldset className={error ? 'fieldset-error' : undefined} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}{required ? <span aria-hidden="true"> *</span> : null}</legend>
      {error ? <p id={errorId} className="error-text" role="alert">{error}</p> : null}
      {options.map((o) => {
        const hint = hintOf?.(o);
        return (
          <Checkbox key={o} name={name} label={labelOf(o)} {...(hint ? { hint } : {})} checked={value.includes(o)}
            onChange={(on) => onChange(on ? [...value, o] : value.filter((v) => v !== o))} />
        );
      })}
    </fieldset>
  );
}

// ---- confirmation -----------------------------------------------------------------------------------------

/** A modal dialog asking to confirm a change that cannot be undone. Escape or Cancel closes it. */
export function ConfirmDialog({ title, children, confirmLabel, busy, problem, onConfirm, onClose }: {
  title: string; children: ReactNode; confirmLabel: string; busy: boolean; problem: RequestFailed | null;
  onConfirm: () => void; onClose: () => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} aria-describedby={textId}
      onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }}>
      <h2 id={titleId}>{title}</h2>
      <div id={textId}>{children}</div>
      {problem ? <Alert kind="error">{problem.message}</Alert> : null}
      <div className="form-actions">
        <Button variant="danger" onClick={onConfirm} aria-disabled={busy || undefined}>{busy ? t('admin:working') : confirmLabel}</Button>
        <button ref={cancelRef} type="button" className="btn btn-secondary" onClick={() => { if (!busy) onClose(); }}>{t('common:cancel')}</button>
      </div>
    </dialog>
  );
}

/** What a confirm dialog is about, and running it. */
export function useConfirm<T>() {
  const [target, setTarget] = useState<T | null>(null);
  const trigger = useRef<HTMLElement | null>(null);
  const submit = useSubmit();
  const { setProblem } = submit;
  const ask = useCallback((item: T) => {
    trigger.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setProblem(null);
    setTarget(item);
  }, [setProblem]);
  const cancel = useCallback(() => {
    setTarget(null);
    const el = trigger.current;
    window.setTimeout(() => el?.focus(), 0);
  }, []);
  const done = useCallback(() => setTarget(null), []);
  return { target, ask, cancel, done, ...submit };
}

// ---- dates ------------------------------------------------------------------------------------------------

/** Today in the browser's calendar, YYYY-MM-DD. */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const asDate = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value));

/**
 * Dates and numbers in the page's language: formatDate and formatNumber (i18n/index.ts, which cover a browser whose
 * Intl has no Kyrgyz), and the weekday, from the catalog where Intl has no such language.
 */
export function useFormats() {
  const { t, i18n: instance } = useTranslation('admin');
  const lang = instance.language;
  return useMemo(() => {
    const native = Intl.DateTimeFormat.supportedLocalesOf([lang]).length > 0;
    const date = (value: string) => formatDate(value, lang);
    const weekday = (value: string) => (native
      ? new Intl.DateTimeFormat(lang, { weekday: 'long' }).format(asDate(value))
      : t(`dates.weekday.${asDate(value).getDay()}`));
    const number = (value: number) => formatNumber(value, lang);
    return { date, weekday, dayWithWeekday: (value: string) => `${date(value)}, ${weekday(value)}`, number };
  }, [lang, t]);
}

/** A key's or consumer's state in a list: active, or revoked on its date. */
export function RevocationBadge({ revokedAt }: { revokedAt: string | null }) {
  const { t } = useTranslation('admin');
  const dates = useFormats();
  return revokedAt
    ? <span className="badge badge-off">{t('apiKeys.revokedOn', { date: dates.date(revokedAt) })}</span>
    : <span className="badge badge-on">{t('active')}</span>;
}

/** The row's "Revoke" button (none once revoked); the hidden part names the row for screen readers. */
export function RevokeButton({ revokedAt, name, onClick }: { revokedAt: string | null; name: string; onClick: () => void }) {
  const { t } = useTranslation('admin');
  if (revokedAt) return null;
  return (
    <Button variant="secondary" className="btn-small" onClick={onClick}>
      {t('apiKeys.revoke')}<span className="visually-hidden">: {name}</span>
    </Button>
  );
}
