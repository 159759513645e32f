/**
 * One appeal for staff: summary, applicant, location, the actions the server allows (each a small form with the
 * fields it needs), the answer composer with templates, answers, files, internal notes and the full timeline.
 * Every action sends the version that was loaded; if someone changed the appeal meanwhile, it is reloaded.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { pickName } from '../../app/cities.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle, Select, TextArea, TextInput } from '../../ui/ui.js';
import {
  errorCode, fileSize, formatDate, problem, uploadAttachment, useCityReference, useNames, useStaffList, useStaffMe,
  type AnswerTemplate, type CityReference, type StaffAppeal, type StaffMember,
} from './shared.js';
import { ExtensionRequests, NotificationsSent } from './AppealOversight.js';
import type { AnswerCheck } from './oversight.js';
import { FollowUpView, RatingView, ReviewView } from './Rating.js';

const NO_CONSIDERATION_GROUNDS = [
  'profanity_or_insults', 'calls_for_violence_or_hatred', 'missing_name_address_or_contacts', 'unreadable_form',
  'no_concrete_substance', 'repeated_without_new_arguments', 'anonymous',
] as const;
type Action = StaffAppeal['allowedActions'][number];
const ACCEPTED_FILES = 'application/pdf,image/jpeg,image/png,image/webp,image/heic';
type AnswerWarning = AnswerCheck['warnings'][number];
/** A photo of the result: an image, not a PDF (the answer check counts these). */
const isPhoto = (f: File) => f.type.startsWith('image/') || /\.(jpe?g|png|webp|heic)$/i.test(f.name);

export function StaffAppealPage() {
  const { t } = useTranslation(['staff', 'common']);
  const { city = '', id = '' } = useParams();
  const ref = useCityReference(city);
  const names = useNames(ref);
  const staff = useStaffList(city);
  const [appeal, setAppeal] = useState<StaffAppeal | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [open, setOpen] = useState<Action | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const { refresh } = useSession();

  const load = useCallback(async () => {
    try {
      const { data, error, response } = await api.GET('/api/v1/m/{municipality}/appeals/{id}', { params: { path: { municipality: city, id } } });
      if (response.status === 401) { void refresh(); return null; }
      if (error || !data) { setLoadError(problem(error, t('error.generic'))); return null; }
      setLoadError(null);
      setAppeal(data);
      return data;
    } catch {
      setLoadError(t('error.offline'));
      return null;
    }
  }, [city, id, t, refresh]);
  useEffect(() => { setAppeal(null); setOpen(null); setNotice(null); void load(); }, [load]);

  const announce = (kind: 'success' | 'error' | 'info', text: string) => {
    setNotice({ kind, text });
    requestAnimationFrame(() => noticeRef.current?.focus());
  };

  if (loadError && !appeal) return <><PageTitle title={t('appeal.title')}>{t('appeal.title')}</PageTitle><Alert kind="error">{loadError}</Alert></>;
  if (!appeal) return <Loading label={t('common:loading')} />;

  const a = appeal;
  const staffName = (sid: string | null) => staff.find((s) => s.id === sid)?.fullName ?? '';
  const title = `${a.registrationNumber}: ${a.subject}`;

  /** Called by an action form after the server answered. */
  const afterAction = async (action: Action, result: Result) => {
    if (result.ok) {
      setOpen(null);
      await load();
      const done = t('appeal.done', { action: t(`common:action.${action}`) });
      if (result.warning) announce('error', `${done} ${result.warning}`); else announce('success', done);
    } else if (errorCode(result.error) === 'version_conflict') {
      setOpen(null);
      await load();
      announce('error', t('appeal.versionConflict'));
    } else {
      return problem(result.error, t('error.generic'));
    }
    return null;
  };

  return (
    <article className="staff-appeal">
      <p className="breadcrumb"><Link to={`/staff/${city}/inbox`}>{t('appeal.backToInbox')}</Link></p>
      <PageTitle title={title}>
        <span className="reg-number">{a.registrationNumber}</span> {a.subject}
      </PageTitle>
      <p className="appeal-status-line">
        <span className="status">{t(`common:status.${a.status}`)}</span>{' '}
        {t('appeal.dueOn', { date: formatDate(a.dueDate, names.lang) })}
        {a.overdue ? <> <span className="overdue">{t('common:overdue')}</span></> : null}
      </p>

      <div ref={noticeRef} tabIndex={-1} className="notice-slot">
        {notice ? <Alert kind={notice.kind}>{notice.text}</Alert> : null}
      </div>

      <section aria-labelledby="actions-h" className="card">
        <h2 id="actions-h">{t('appeal.actions')}</h2>
        {a.allowedActions.length === 0 ? <p>{t('appeal.noActions')}</p> : (
          <div className="action-buttons">
            {a.allowedActions.map((action) => (
              <Button key={action} data-action={action} variant={open === action ? 'primary' : 'secondary'} aria-expanded={open === action}
                aria-controls={open === action ? 'action-form' : undefined} onClick={() => setOpen(open === action ? null : action)}>
                {t(`common:action.${action}`)}
              </Button>
            ))}
          </div>
        )}
        {open ? (
          <div id="action-form" className="action-form">
            <ActionForm key={open} action={open} appeal={a} city={city} reference={ref} staff={staff}
              onCancel={() => { const was = open; setOpen(null); requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-action="${was}"]`)?.focus()); }} onResult={(r) => afterAction(open, r)} reload={load} />
          </div>
        ) : null}
      </section>

      <ExtensionRequests appeal={a} city={city} onChanged={async (text) => { await load(); announce('success', text); }} />

      <div className="appeal-columns">
        <section aria-labelledby="summary-h" className="card">
          <h2 id="summary-h">{t('appeal.summary')}</h2>
          <dl className="facts">
            <Fact label={t('appeal.kind')}>{t(`common:kind.${a.kind}`)}</Fact>
            <Fact label={t('appeal.channel')}>{t(`common:channel.${a.channel}`)}</Fact>
            <Fact label={t('appeal.category')}>{names.category(a.categoryId) || '—'}</Fact>
            <Fact label={t('appeal.district')}>{names.district(a.districtId) || '—'}</Fact>
            <Fact label={t('appeal.service')}>{names.service(a.serviceId) || t('inbox.unassigned')}</Fact>
            <Fact label={t('appeal.executor')}>{staffName(a.executorId) || '—'}</Fact>
            {a.redirectedTo ? <Fact label={t('appeal.redirectedTo')}>{a.redirectedTo}</Fact> : null}
            <Fact label={t('appeal.receivedAt')}>{formatDate(a.receivedAt, names.lang, true)}</Fact>
            <Fact label={t('appeal.registeredAt')}>{formatDate(a.registeredAt, names.lang, true)}</Fact>
            <Fact label={t('common:dueDate')}>
              {formatDate(a.dueDate, names.lang)}
              {a.extensionDays ? ` ${t('appeal.extendedBy', { count: a.extensionDays })}` : ''}
            </Fact>
            <Fact label={t('appeal.language')}>{t(`language.${a.language}`)}</Fact>
            {a.isCollective ? <Fact label={t('appeal.collective')}>{t('appeal.cosignersCount', { count: a.cosignersCount })}</Fact> : null}
            {a.noConsiderationGround ? <Fact label={t('appeal.ground')}>{t(`ground.${a.noConsiderationGround}`)}</Fact> : null}
          </dl>
          <h3>{t('appeal.text')}</h3>
          <p className="appeal-body" lang={a.language}>{a.body}</p>
        </section>

        <div>
          <section aria-labelledby="applicant-h" className="card">
            <h2 id="applicant-h">{t('appeal.applicant')}</h2>
            {a.applicant ? (
              <dl className="facts">
                <Fact label={t('appeal.fullName')}>{a.applicant.fullName}</Fact>
                {a.applicant.organization ? <Fact label={t('appeal.organization')}>{a.applicant.organization}</Fact> : null}
                <Fact label={t('appeal.phone')}>{a.applicant.phone ? <a href={`tel:${a.applicant.phone}`}>{a.applicant.phone}</a> : '—'}</Fact>
                <Fact label={t('appeal.email')}>{a.applicant.email ? <a href={`mailto:${a.applicant.email}`}>{a.applicant.email}</a> : '—'}</Fact>
                <Fact label={t('appeal.postalAddress')}>{a.applicant.address || '—'}</Fact>
              </dl>
            ) : <p>{t('appeal.noApplicant')}</p>}
            {a.applicant?.cosigners.length ? (
              <>
                <h3>{t('appeal.cosigners')}</h3>
                <ul className="cosigners">{a.applicant.cosigners.slice(0, 100).map((n, i) => <li key={i}>{n}</li>)}</ul>
                {a.applicant.cosigners.length > 100 ? <p>{t('appeal.moreCosigners', { count: a.applicant.cosigners.length - 100 })}</p> : null}
              </>
            ) : null}
          </section>

          <section aria-labelledby="location-h" className="card">
            <h2 id="location-h">{t('appeal.location')}</h2>
            <dl className="facts">
              <Fact label={t('appeal.address')}>{a.location.address || '—'}</Fact>
              <Fact label={t('appeal.district')}>{names.district(a.districtId) || '—'}</Fact>
              {a.location.lat !== null && a.location.lon !== null ? (
                <Fact label={t('appeal.coordinates')}>
                  <a href={`https://www.openstreetmap.org/?mlat=${a.location.lat}&mlon=${a.location.lon}#map=18/${a.location.lat}/${a.location.lon}`} target="_blank" rel="noopener noreferrer">
                    {a.location.lat.toFixed(5)}, {a.location.lon.toFixed(5)}<span className="visually-hidden"> {t('opensInNewTab')}</span>
                  </a>
                </Fact>
              ) : null}
            </dl>
          </section>
        </div>
      </div>

      <section aria-labelledby="answers-h" className="card">
        <h2 id="answers-h">{t('appeal.answers')}</h2>
        {a.answers.length === 0 ? <p>{t('appeal.noAnswers')}</p> : (
          <ol className="answers">
            {a.answers.map((ans) => (
              <li key={ans.id}>
                <p className="meta">{formatDate(ans.createdAt, names.lang, true)}{ans.serviceId ? ` · ${names.service(ans.serviceId)}` : ''}</p>
                <p className="answer-body" lang={ans.language}>{ans.body}</p>
                {ans.attachments.length ? <FileList files={ans.attachments} lang={names.lang} /> : null}
                {/* The resident's verdict on this answer and the review they asked for: read-only for staff. */}
                {ans.rating ? <RatingView rating={ans.rating} /> : <p className="meta">{t('rating.none')}</p>}
                {ans.followUp ? <FollowUpView followUp={ans.followUp} /> : null}
                {ans.review ? <ReviewView review={ans.review} /> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="files-h" className="card">
        <h2 id="files-h">{t('appeal.files')}</h2>
        {a.attachments.length === 0 ? <p>{t('appeal.noFiles')}</p> : <FileList files={a.attachments} lang={names.lang} />}
        <AttachForm city={city} appealId={a.id} onDone={async (ok, text) => { if (ok) await load(); announce(ok ? 'success' : 'error', text); }} />
      </section>

      <section aria-labelledby="notes-h" className="card">
        <h2 id="notes-h">{t('appeal.notes')}</h2>
        <p className="hint">{t('appeal.notesHint')}</p>
        {a.notes.length === 0 ? <p>{t('appeal.noNotes')}</p> : (
          <ul className="notes">
            {a.notes.map((n) => (
              <li key={n.id}>
                <p className="meta">{n.authorName ?? t('timeline.unknownStaff')} · {formatDate(n.createdAt, names.lang, true)}</p>
                <p>{n.body}</p>
              </li>
            ))}
          </ul>
        )}
        <NoteForm city={city} appealId={a.id} onAdded={async () => { await load(); announce('success', t('appeal.noteAdded')); }} />
      </section>

      <NotificationsSent city={city} appeal={a} />

      <section aria-labelledby="timeline-h" className="card">
        <h2 id="timeline-h">{t('appeal.timeline')}</h2>
        <ol className="timeline">
          {a.timeline.map((e, i) => (
            <li key={i}>
              <p className="meta"><time dateTime={e.at}>{formatDate(e.at, names.lang, true)}</time> · {actorLabel(e.actor, t)}</p>
              <p>
                <strong>{t([`common:action.${e.action}`, `timelineAction.${e.action}`], { defaultValue: t('timelineAction.other') })}</strong>
                {e.status && e.action !== 'register' ? <> → <span className="status">{t(`common:status.${e.status}`, { defaultValue: e.status })}</span></> : null}
              </p>
              {timelineDetails(e.details, t, names, staffName)}
              {e.reason ? <p><span className="label">{t('timeline.reason')}</span> {e.reason}</p> : null}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return <div className="fact"><dt>{label}</dt><dd>{children}</dd></div>;
}

type T = ReturnType<typeof useTranslation>['t'];

function actorLabel(actor: StaffAppeal['timeline'][number]['actor'], t: T): string {
  if (!actor) return '';
  if (actor.kind === 'staff') return actor.name ?? t('timeline.unknownStaff');
  return t(`timeline.actor.${actor.kind}`, { defaultValue: actor.kind });
}

function timelineDetails(details: Record<string, unknown> | null, t: T, names: ReturnType<typeof useNames>, staffName: (id: string | null) => string) {
  if (!details) return null;
  const parts: string[] = [];
  const str = (k: string) => (typeof details[k] === 'string' ? (details[k] as string) : null);
  if (str('serviceId')) parts.push(t('timeline.service', { name: names.service(str('serviceId')) }));
  if (str('executorId')) parts.push(t('timeline.executor', { name: staffName(str('executorId')) || '—' }));
  if (str('redirectedTo')) parts.push(t('timeline.redirectedTo', { name: str('redirectedTo') }));
  if (typeof details.days === 'number') parts.push(t('timeline.days', { count: details.days }));
  if (str('dueDate')) parts.push(t('timeline.dueDate', { date: formatDate(str('dueDate')!, names.lang) }));
  if (str('noConsiderationGround')) parts.push(t(`ground.${str('noConsiderationGround')}`));
  return parts.length ? <p className="details">{parts.join(' · ')}</p> : null;
}

function FileList({ files, lang }: { files: { id: string; fileName: string; sizeBytes: number; url: string }[]; lang: string }) {
  return (
    <ul className="files">
      {files.map((f) => <li key={f.id}><a href={f.url} download>{f.fileName}</a> <span className="meta">({fileSize(f.sizeBytes, lang)})</span></li>)}
    </ul>
  );
}

// ---- action forms ----------------------------------------------------------------------------------------------

type Result = { ok: true; warning?: string } | { ok: false; error: unknown };

function ActionForm({ action, appeal, city, reference, staff, onCancel, onResult, reload }: {
  action: Action; appeal: StaffAppeal; city: string; reference: CityReference | null; staff: StaffMember[];
  onCancel: () => void; onResult: (r: Result) => Promise<string | null>; reload: () => Promise<StaffAppeal | null>;
}) {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const lang = i18n.language;
  const { refresh } = useSession();
  const me = useStaffMe();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLFormElement>(null);
  useEffect(() => { first.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus(); }, []);

  // Field values of every action; each form uses its own.
  const [serviceId, setServiceId] = useState(action === 'assign' ? appeal.serviceId ?? '' : '');
  const [executorId, setExecutorId] = useState('');
  const [target, setTarget] = useState<'service' | 'external'>('service');
  const [externalBody, setExternalBody] = useState('');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState('5');
  const [ground, setGround] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  // The answer check's warnings, shown before sending; editing the answer or its files clears them.
  const [warnings, setWarnings] = useState<AnswerWarning[] | null>(null);
  // Focus moves to the warnings once they are on the screen (an effect runs after the render that shows them;
  // a timer set beside setWarnings could fire before that render under load).
  useEffect(() => {
    if (warnings?.length) first.current?.querySelector<HTMLElement>('#answer-warnings')?.focus();
  }, [warnings]);
  const editAnswer = (next: string) => { setBody(next); setWarnings(null); };
  const editFiles = (next: File[]) => { setFiles(next); setWarnings(null); };

  const services = reference?.services ?? [];
  const executors = staff.filter((s) => s.roles.includes('executor') && (!serviceId || s.serviceId === serviceId));
  const reasonRequired = ['redirect', 'extend', 'reopen', 'leave_without_consideration'].includes(action);

  function validate(): Record<string, string> {
    const e: Record<string, string> = {};
    const required = t('form.required');
    if (action === 'assign' && !serviceId && !executorId) e.serviceId = t('form.assignTarget');
    if (action === 'redirect') {
      if (target === 'service' && !serviceId) e.serviceId = required;
      if (target === 'service' && serviceId && serviceId === appeal.serviceId) e.serviceId = t('form.sameService');
      if (target === 'external' && externalBody.trim().length < 2) e.externalBody = required;
    }
    if (action === 'extend' && !(Number(days) >= 1 && Number(days) <= 60 && Number.isInteger(Number(days)))) e.days = t('form.daysRange');
    if (action === 'leave_without_consideration' && !ground) e.ground = required;
    if (action === 'answer' && body.trim().length < 10) e.body = t('form.answerTooShort');
    if (reasonRequired && reason.trim().length < 3) e.reason = t('form.reasonRequired');
    return e;
  }

  function payload(): object {
    const r = reason.trim();
    switch (action) {
      case 'assign': return { ...(serviceId ? { serviceId } : {}), ...(executorId ? { executorId } : {}), ...(r ? { reason: r } : {}) };
      case 'redirect': return { ...(target === 'service' ? { serviceId } : { externalBody: externalBody.trim() }), reason: r };
      case 'extend': return { days: Number(days), reason: r };
      case 'answer': return { body: body.trim() };
      case 'reopen': return { reason: r };
      case 'leave_without_consideration': return { ground, reason: r };
      default: return r ? { reason: r } : {};
    }
  }

  /** The answer check: warnings about the answer (too short, template unchanged, no photo of the result). */
  async function checkAnswer(): Promise<AnswerWarning[]> {
    try {
      const { data } = await api.POST('/api/v1/m/{municipality}/appeals/{id}/answer-check', {
        params: { path: { municipality: city, id: appeal.id } },
        body: { body: body.trim(), resultPhotoCount: files.filter(isPhoto).length },
      });
      return data?.warnings ?? [];
    } catch {
      // The check only advises: when it cannot be run, the answer is sent as it is.
      return [];
    }
  }

  const goBack = () => {
    const onlyPhoto = warnings?.every((w) => w.code === 'result_photo_missing');
    setWarnings(null);
    requestAnimationFrame(() => first.current?.querySelector<HTMLElement>(onlyPhoto ? '#answer-file' : 'textarea')?.focus());
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    await send(false);
  }

  async function send(confirmed: boolean) {
    if (busy) return;
    setError(null);
    const problems = validate();
    setFieldErrors(problems);
    if (Object.keys(problems).length) {
      requestAnimationFrame(() => first.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      if (action === 'answer' && !confirmed) {
        const found = await checkAnswer();
        if (found.length) {
          setWarnings(found);
          return;
        }
      }
      const segment = action === 'leave_without_consideration' ? 'leave-without-consideration' : action;
      const res = await api.POST(`/api/v1/m/{municipality}/appeals/{id}/${segment}` as '/api/v1/m/{municipality}/appeals/{id}/assign', {
        params: { path: { municipality: city, id: appeal.id }, header: { 'if-match': `"${appeal.version}"` } },
        body: payload() as never,
      });
      if (res.response.status === 401) { await refresh(); return; }
      if (res.error) {
        const details = (res.error as { error?: { details?: { path?: string; message?: string }[] } }).error?.details ?? [];
        const byField: Record<string, string> = {};
        for (const d of details) if (d.path && d.message) byField[d.path] = d.message;
        setFieldErrors(byField);
        setError(await onResult({ ok: false, error: res.error }));
        return;
      }
      if (action === 'answer' && files.length) {
        // The answer's id is not in the action's result: the newest answer of the reloaded appeal is this one.
        const fresh = await reload();
        const answer = fresh?.answers[fresh.answers.length - 1];
        if (answer) {
          const failed: string[] = [];
          for (const file of files) {
            try {
              const up = await uploadAttachment(city, appeal.id, file, answer.id);
              if (up.error) failed.push(`${file.name}: ${problem(up.error, t('error.generic'))}`);
            } catch {
              failed.push(`${file.name}: ${t('error.offline')}`);
            }
          }
          if (failed.length) {
            // The answer stands; only some files did not arrive. Said as such, so they can be attached again.
            await onResult({ ok: true, warning: t('answer.fileFailed', { message: failed.join(' ') }) });
            return;
          }
        }
      }
      await onResult({ ok: true });
    } catch {
      setError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }

  const reasonField = (
    <TextArea label={reasonRequired ? t('form.reason') : t('form.reasonOptional')} rows={3} value={reason} onChange={(e) => setReason(e.target.value)}
      required={reasonRequired} maxLength={2000} error={fieldErrors.reason} hint={reasonRequired && action !== 'reopen' ? t('form.reasonPublicHint') : undefined} />
  );

  return (
    <form ref={first} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="action-form-h"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
      <h3 id="action-form-h">{t(`common:action.${action}`)}</h3>
      {error ? <Alert kind="error">{error}</Alert> : null}

      {action === 'assign' ? (
        <>
          <Select label={t('form.service')} value={serviceId} onChange={(e) => { setServiceId(e.target.value); setExecutorId(''); }} error={fieldErrors.serviceId}>
            <option value="">{t('form.chooseService')}</option>
            {services.map((s) => <option key={s.id} value={s.id}>{pickName(s.name, lang)}</option>)}
          </Select>
          <Select label={t('form.executor')} value={executorId} onChange={(e) => setExecutorId(e.target.value)} error={fieldErrors.executorId}
            hint={executors.length === 0 ? t('form.noExecutors') : undefined}>
            <option value="">{t('form.noExecutor')}</option>
            {executors.map((s) => <option key={s.id} value={s.id}>{s.fullName}{s.id === me?.id ? ` (${t('form.me')})` : ''}</option>)}
          </Select>
          {reasonField}
        </>
      ) : null}

      {action === 'redirect' ? (
        <>
          <fieldset>
            <legend>{t('form.redirectTo')}</legend>
            <label className="choice"><input type="radio" name="redirect-target" checked={target === 'service'} onChange={() => setTarget('service')} /> {t('form.cityService')}</label>
            <label className="choice"><input type="radio" name="redirect-target" checked={target === 'external'} onChange={() => setTarget('external')} /> {t('form.outsideBody')}</label>
          </fieldset>
          {target === 'service' ? (
            <Select label={t('form.service')} value={serviceId} onChange={(e) => setServiceId(e.target.value)} required error={fieldErrors.serviceId}>
              <option value="">{t('form.chooseService')}</option>
              {services.filter((s) => s.id !== appeal.serviceId).map((s) => <option key={s.id} value={s.id}>{pickName(s.name, lang)}</option>)}
            </Select>
          ) : (
            <TextInput label={t('form.outsideBodyName')} hint={t('form.outsideBodyHint')} value={externalBody} onChange={(e) => setExternalBody(e.target.value)}
              required maxLength={300} error={fieldErrors.externalBody} />
          )}
          {reasonField}
        </>
      ) : null}

      {action === 'extend' ? (
        <>
          <TextInput label={t('form.days')} hint={t('form.daysHint')} type="number" min={1} max={60} inputMode="numeric" value={days}
            onChange={(e) => setDays(e.target.value)} required error={fieldErrors.days} />
          {reasonField}
        </>
      ) : null}

      {action === 'answer' ? (
        <AnswerComposer appeal={appeal} city={city} body={body} setBody={editAnswer} error={fieldErrors.body} files={files} setFiles={editFiles} />
      ) : null}

      {action === 'leave_without_consideration' ? (
        <>
          <Select label={t('form.ground')} value={ground} onChange={(e) => setGround(e.target.value)} required error={fieldErrors.ground}>
            <option value="">{t('form.chooseGround')}</option>
            {NO_CONSIDERATION_GROUNDS.map((g) => <option key={g} value={g}>{t(`ground.${g}`)}</option>)}
          </Select>
          {reasonField}
        </>
      ) : null}

      {action === 'start' || action === 'close' || action === 'reopen' ? reasonField : null}

      {warnings ? (
        <div id="answer-warnings" className="alert alert-warn answer-warnings" tabIndex={-1} role="group"
          aria-labelledby="answer-warnings-h" aria-describedby="answer-warnings-list">
          <p id="answer-warnings-h" className="alert-title">{t('answerCheck.title')}</p>
          <ul id="answer-warnings-list">{warnings.map((w) => <li key={w.code}>{t(`answerCheck.${w.code}`, { defaultValue: t('answerCheck.other') })}</li>)}</ul>
          <div className="form-buttons">
            <Button onClick={() => void send(true)} disabled={busy}>{busy ? t('form.sending') : t('answerCheck.sendAnyway')}</Button>
            <Button variant="secondary" onClick={goBack}>{t('answerCheck.goBack')}</Button>
          </div>
        </div>
      ) : (
        <div className="form-buttons">
          <Button type="submit" disabled={busy}>{busy ? t('form.sending') : t(`form.confirm.${action}`)}</Button>
          <Button variant="secondary" onClick={onCancel}>{t('common:cancel')}</Button>
        </div>
      )}
    </form>
  );
}

function AnswerComposer({ appeal, city, body, setBody, error, files, setFiles }: {
  appeal: StaffAppeal; city: string; body: string; setBody: (v: string) => void; error: string | undefined; files: File[]; setFiles: (f: File[]) => void;
}) {
  const { t } = useTranslation('staff');
  const [templates, setTemplates] = useState<AnswerTemplate[] | null>(null);
  const [photoRequired, setPhotoRequired] = useState(false);
  const [chosen, setChosen] = useState('');
  const language = appeal.language as 'ky' | 'ru' | 'en';
  const textRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    const query = { language, ...(appeal.serviceId ? { serviceId: appeal.serviceId } : {}), ...(appeal.categoryId ? { categoryId: appeal.categoryId } : {}) };
    api.GET('/api/v1/m/{municipality}/workspace/answer-templates', { params: { path: { municipality: city }, query } })
      .then(({ data }) => { if (live) setTemplates(data?.items ?? []); }).catch(() => { if (live) setTemplates([]); });
    return () => { live = false; };
  }, [city, appeal.serviceId, appeal.categoryId, language]);

  // Whether the category wants a photo of the result, to say so before the executor writes.
  useEffect(() => {
    let live = true;
    api.POST('/api/v1/m/{municipality}/appeals/{id}/answer-check', {
      params: { path: { municipality: city, id: appeal.id } }, body: { body: '', resultPhotoCount: 0 },
    }).then(({ data }) => { if (live) setPhotoRequired(Boolean(data?.requiresResultPhoto)); }).catch(() => {});
    return () => { live = false; };
  }, [city, appeal.id]);

  const useTemplate = () => {
    const tpl = templates?.find((x) => x.id === chosen);
    const text = tpl?.body[language];
    if (!text) return;
    setBody(text);
    textRef.current?.querySelector('textarea')?.focus();
  };

  return (
    <>
      <p>{t('answer.inLanguage', { language: t(`language.${language}`) })}</p>
      {templates && templates.length > 0 ? (
        <div className="template-picker">
          <Select label={t('answer.template')} value={chosen} onChange={(e) => setChosen(e.target.value)} hint={t('answer.templateHint')}>
            <option value="">{t('answer.chooseTemplate')}</option>
            {templates.map((tpl) => <option key={tpl.id} value={tpl.id}>{tpl.title[language]}</option>)}
          </Select>
          <Button variant="secondary" onClick={useTemplate} disabled={!chosen}>{t('answer.useTemplate')}</Button>
        </div>
      ) : templates ? <p className="hint">{t('answer.noTemplates')}</p> : null}
      <div ref={textRef}>
        <TextArea label={t('answer.text')} rows={10} lang={language} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={20000} error={error} />
      </div>
      <div className="field">
        <label htmlFor="answer-file">{t('answer.files')}</label>
        <p id="answer-file-hint" className="hint">{photoRequired ? `${t('answer.photoRequired')} ` : ''}{t('answer.fileHint')}</p>
        <input id="answer-file" type="file" multiple accept={ACCEPTED_FILES} aria-describedby="answer-file-hint"
          onChange={(e) => setFiles([...(e.target.files ?? [])])} />
        {files.length ? <p className="hint">{t('answer.fileChosen', { name: files.map((f) => f.name).join(', ') })}</p> : null}
      </div>
    </>
  );
}

// ---- notes and files -------------------------------------------------------------------------------------------

function NoteForm({ city, appealId, onAdded }: { city: string; appealId: string; onAdded: () => Promise<void> }) {
  const { t } = useTranslation('staff');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) { setError(t('form.required')); return; }
    setBusy(true);
    try {
      const { error: err } = await api.POST('/api/v1/m/{municipality}/appeals/{id}/notes', { params: { path: { municipality: city, id: appealId } }, body: { body: body.trim() } });
      if (err) { setError(problem(err, t('error.generic'))); return; }
      setBody('');
      setError(undefined);
      await onAdded();
    } catch {
      setError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="note-form">
      <TextArea label={t('appeal.newNote')} rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} error={error}
        onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); e.currentTarget.form?.requestSubmit(); } }}
        hint={t('form.ctrlEnter')} />
      <Button type="submit" variant="secondary" disabled={busy}>{t('appeal.addNote')}</Button>
    </form>
  );
}

function AttachForm({ city, appealId, onDone }: { city: string; appealId: string; onDone: (ok: boolean, text: string) => Promise<void> }) {
  const { t } = useTranslation('staff');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    try {
      const { error } = await uploadAttachment(city, appealId, file);
      if (error) { await onDone(false, problem(error, t('error.generic'))); return; }
      setFile(null);
      if (input.current) input.current.value = '';
      await onDone(true, t('appeal.fileAttached', { name: file.name }));
    } catch {
      await onDone(false, t('error.offline'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="inline-form">
      <div className="field">
        <label htmlFor="appeal-file">{t('appeal.attachFile')}</label>
        <p id="appeal-file-hint" className="hint">{t('answer.fileHint')}</p>
        <input ref={input} id="appeal-file" type="file" accept={ACCEPTED_FILES} aria-describedby="appeal-file-hint" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </div>
      <Button type="submit" variant="secondary" disabled={!file || busy}>{t('appeal.upload')}</Button>
    </form>
  );
}
