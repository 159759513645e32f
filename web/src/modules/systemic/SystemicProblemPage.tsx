/**
 * One systemic problem: what the detector found (rules met, score, residents, weeks, returns, seasons), its monthly
 * trend, its appeals (each a link to the appeal; no personal data here), the analysts' notes, and their decisions —
 * confirm (for the development programme), dismiss (with a reason), merge into another problem. Decisions carry the
 * version the analyst saw, so a colleague's change in the meantime is not overwritten.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { formatNumber } from '../../i18n/index.js';
import { formatMonth } from '../scorecards/format.js';
import { Alert, Button, Loading, PageTitle, Select, TextArea } from '../../ui/ui.js';
import { Decision, type DecisionKind } from '../staff/Decision.js';
import { errorCode, formatDate, problem, useCityReference, useNames, useStaffList } from '../staff/shared.js';
import type { Problem, ProblemDetail } from './data.js';
import { KindList, MonthlyBars, StatusBadge } from './parts.js';

export function SystemicProblemPage() {
  const { t, i18n } = useTranslation(['systemic', 'staff', 'common']);
  const lang = i18n.language;
  const { city = '', id = '' } = useParams();
  const { refresh } = useSession();
  const names = useNames(useCityReference(city));
  const staff = useStaffList(city);
  const [data, setData] = useState<ProblemDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const statusRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const { data: body, error: err, response } = await api.GET('/api/v1/m/{municipality}/systemic-problems/{id}', { params: { path: { municipality: city, id } } });
      if (response.status === 401) { void refresh(); return; }
      if (err || !body) { setError(problem(err, t('staff:error.generic'))); return; }
      setError(null);
      setData(body);
    } catch {
      setError(t('staff:error.offline'));
    }
  }, [city, id]);
  useEffect(() => { setData(null); setMessage(''); void load(); }, [load]);

  /** After a decision: the new state, a message read out, and the page's data again (members may have moved). */
  const done = async (text: string) => {
    setMessage(text);
    await load();
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  const title = data ? t('detail.title', { category: names.category(data.categoryId) || t('unknownCategory') }) : t('detail.loadingTitle');
  return (
    <div className="sp-page">
      <p className="sp-back"><Link to={`/staff/${city}/systemic`}>{t('detail.back')}</Link></p>
      <PageTitle title={title}>{title}</PageTitle>
      <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite" className={message ? 'alert alert-success' : 'status-empty'}>{message}</div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {data === null ? (error ? null : <Loading label={t('common:loading')} />) : (
        <>
          <p className="appeal-status-line">
            <StatusBadge status={data.status} /> {data.active ? t('detail.active') : <span className="meta">{t('detail.inactive')}</span>}
          </p>
          {data.status === 'merged' && data.mergedIntoId ? (
            <Alert kind="info">{t('detail.mergedInto')} <Link to={`/staff/${city}/systemic/${data.mergedIntoId}`}>{t('detail.openTarget')}</Link></Alert>
          ) : null}
          <dl className="facts">
            <div className="fact"><dt>{t('col.kinds')}</dt><dd><KindList kinds={data.kinds} /></dd></div>
            <div className="fact"><dt>{t('col.score')}</dt><dd>{t('detail.scoreOutOf', { n: formatNumber(Math.round(data.score * 100), lang) })}</dd></div>
            <div className="fact"><dt>{t('col.district')}</dt><dd>{names.district(data.districtId) || '—'}</dd></div>
            <div className="fact"><dt>{t('col.appeals')}</dt><dd>{formatNumber(data.appeals, lang)}</dd></div>
            <div className="fact"><dt>{t('col.residents')}</dt><dd>{formatNumber(data.distinctApplicants, lang)}</dd></div>
            <div className="fact"><dt>{t('col.weeks')}</dt><dd>{formatNumber(data.weeksActive, lang)}</dd></div>
            {data.repeats > 0 ? <div className="fact"><dt>{t('col.repeats')}</dt><dd>{formatNumber(data.repeats, lang)}</dd></div> : null}
            {data.seasonalYears > 0 ? <div className="fact"><dt>{t('col.seasonalYears')}</dt><dd>{formatNumber(data.seasonalYears, lang)}</dd></div> : null}
            <div className="fact"><dt>{t('col.trend')}</dt><dd>{t(`trend.${data.trend}`)}</dd></div>
            <div className="fact"><dt>{t('detail.period')}</dt><dd>{formatDate(data.firstSeen, lang)} – {formatDate(data.lastSeen, lang)}</dd></div>
            <div className="fact"><dt>{t('detail.detectedAt')}</dt><dd>{formatDate(data.detectedAt, lang)}</dd></div>
            {data.decidedAt ? (
              <div className="fact"><dt>{t('detail.decision')}</dt><dd>
                {t(`status.${data.status}`)}, {staff.find((s) => s.id === data.decidedById)?.fullName ?? t('staff:timeline.unknownStaff')}, {formatDate(data.decidedAt, lang, true)}
              </dd></div>
            ) : null}
            {data.statusReason ? <div className="fact"><dt>{t('detail.reason')}</dt><dd className="pre-wrap">{data.statusReason}</dd></div> : null}
          </dl>
          {data.status !== 'merged' ? <Decisions city={city} data={data} onDone={done} /> : null}
          <Trend data={data} />
          <Members city={city} data={data} />
          {data.mergedFrom.length > 0 ? (
            <section className="sp-section">
              <h2>{t('detail.mergedFrom')}</h2>
              <ul>
                {data.mergedFrom.map((m) => (
                  <li key={m.id}><Link to={`/staff/${city}/systemic/${m.id}`}>{names.category(m.categoryId) || t('unknownCategory')}</Link> — {t('detail.appealsCount', { count: m.appeals, n: formatNumber(m.appeals, lang) })}</li>
                ))}
              </ul>
            </section>
          ) : null}
          <Notes city={city} data={data} onAdded={load} />
        </>
      )}
    </div>
  );
}

/** Confirm and dismiss (reasons), and merge into another problem. */
function Decisions({ city, data, onDone }: { city: string; data: ProblemDetail; onDone: (message: string) => Promise<void> }) {
  const { t } = useTranslation(['systemic', 'staff']);
  const init = { params: { path: { municipality: city, id: data.id }, header: { 'if-match': `"${data.version}"` } } };
  const failed = (err: unknown) => (errorCode(err) === 'version_conflict' ? t('detail.changedMeanwhile') : problem(err, t('staff:error.generic')));
  const decide = async (kind: string, reason: string): Promise<string | null> => {
    try {
      const { error: err } = kind === 'confirm'
        ? await api.POST('/api/v1/m/{municipality}/systemic-problems/{id}/confirm', { ...init, body: reason ? { reason } : {} })
        : await api.POST('/api/v1/m/{municipality}/systemic-problems/{id}/dismiss', { ...init, body: { reason } });
      if (err) return failed(err);
      await onDone(t(kind === 'confirm' ? 'detail.confirmed' : 'detail.dismissed'));
      return null;
    } catch {
      return t('staff:error.offline');
    }
  };
  const kinds: DecisionKind[] = [];
  if (data.status !== 'confirmed') {
    kinds.push({ key: 'confirm', label: t('detail.confirm'), confirm: t('detail.confirmSubmit'), reasonLabel: t('detail.confirmReason'), reasonHint: t('detail.confirmHint'), reasonRequired: false });
  }
  if (data.status !== 'dismissed') {
    kinds.push({ key: 'dismiss', label: t('detail.dismiss'), confirm: t('detail.dismissSubmit'), reasonLabel: t('detail.dismissReason'), reasonHint: t('detail.dismissHint'), reasonRequired: true });
  }
  return (
    <section className="sp-section" aria-labelledby="sp-decide">
      <h2 id="sp-decide">{t('detail.decide')}</h2>
      <Decision kinds={kinds} subject={t('detail.thisProblem')} onDecide={decide} />
      <Merge city={city} data={data} onDone={onDone} failed={failed} />
    </section>
  );
}

function Merge({ city, data, onDone, failed }: { city: string; data: ProblemDetail; onDone: (m: string) => Promise<void>; failed: (err: unknown) => string }) {
  const { t, i18n } = useTranslation(['systemic', 'staff', 'common']);
  const lang = i18n.language;
  const names = useNames(useCityReference(city));
  const [open, setOpen] = useState(false);
  const [targets, setTargets] = useState<Problem[] | null>(null);
  const [into, setInto] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open || targets) return;
    void api.GET('/api/v1/m/{municipality}/systemic-problems', { params: { path: { municipality: city }, query: { limit: 200, offset: 0 } } })
      .then(({ data: body }) => setTargets((body?.items ?? []).filter((p) => p.id !== data.id && p.status !== 'merged')))
      .catch(() => setError(t('staff:error.offline')));
  }, [open]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!into) { setFieldError(t('detail.mergeChoose')); return; }
    setFieldError(undefined);
    setBusy(true);
    try {
      const { error: err } = await api.POST('/api/v1/m/{municipality}/systemic-problems/{id}/merge', {
        params: { path: { municipality: city, id: data.id }, header: { 'if-match': `"${data.version}"` } }, body: { intoId: into },
      });
      if (err) { setError(failed(err)); return; }
      setOpen(false);
      await onDone(t('detail.merged'));
    } catch {
      setError(t('staff:error.offline'));
    } finally {
      setBusy(false);
    }
  };
  const close = () => { setOpen(false); requestAnimationFrame(() => toggle.current?.focus()); };

  return (
    <div className="decision">
      <div className="row-actions">
        <button ref={toggle} type="button" className={`btn btn-${open ? 'primary' : 'secondary'}`} aria-expanded={open} onClick={() => setOpen(!open)}>{t('detail.merge')}</button>
      </div>
      {open ? (
        <form className="decision-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={headingId}
          onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); close(); } }}>
          <h3 id={headingId}>{t('detail.mergeTitle')}</h3>
          <p className="hint">{t('detail.mergeHint')}</p>
          {error ? <Alert kind="error">{error}</Alert> : null}
          {targets === null ? <Loading label={t('common:loading')} /> : targets.length === 0 ? <p>{t('detail.mergeNone')}</p> : (
            <Select label={t('detail.mergeInto')} value={into} onChange={(e) => setInto(e.target.value)} required error={fieldError}>
              <option value="">{t('detail.mergeChoose')}</option>
              {targets.map((p) => (
                <option key={p.id} value={p.id}>
                  {`${names.category(p.categoryId) || t('unknownCategory')} — ${names.district(p.districtId) || '—'} — ${t('detail.appealsCount', { count: p.appeals, n: formatNumber(p.appeals, lang) })} (${t(`status.${p.status}`)})`}
                </option>
              ))}
            </Select>
          )}
          <div className="form-buttons">
            <Button type="submit" disabled={busy || !targets?.length}>{busy ? t('staff:form.sending') : t('detail.mergeSubmit')}</Button>
            <Button variant="secondary" onClick={close}>{t('common:cancel')}</Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function Trend({ data }: { data: ProblemDetail }) {
  const { t, i18n } = useTranslation('systemic');
  const lang = i18n.language;
  const id = useId();
  if (data.monthly.length === 0) return null;
  return (
    <section className="sp-section" aria-labelledby={id}>
      <h2 id={id}>{t('detail.monthly')}</h2>
      <MonthlyBars months={data.monthly} label={t('detail.monthlyChart')} />
      <details className="sp-table-alt">
        <summary>{t('detail.monthlyTable')}</summary>
        <div className="table-wrap" role="region" aria-label={t('detail.monthlyTable')} tabIndex={0}>
          <table className="figures-table sp-months">
            <thead><tr><th scope="col">{t('detail.month')}</th><th scope="col" className="num">{t('col.appeals')}</th></tr></thead>
            <tbody>
              {data.monthly.map((m) => (
                <tr key={m.month}><th scope="row">{formatMonth(m.month, lang)}</th><td className="num">{formatNumber(m.appeals, lang)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

function Members({ city, data }: { city: string; data: ProblemDetail }) {
  const { t, i18n } = useTranslation(['systemic', 'common']);
  const lang = i18n.language;
  const names = useNames(useCityReference(city));
  const id = useId();
  return (
    <section className="sp-section" aria-labelledby={id}>
      <h2 id={id}>{t('detail.members', { count: data.appeals, n: formatNumber(data.appeals, lang) })}</h2>
      <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
        <table className="figures-table sp-members">
          <thead>
            <tr>
              <th scope="col">{t('detail.number')}</th>
              <th scope="col">{t('detail.registered')}</th>
              <th scope="col">{t('col.status')}</th>
              <th scope="col">{t('filters.category')}</th>
              <th scope="col">{t('col.district')}</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr key={m.appealId}>
                <th scope="row"><Link to={`/staff/${city}/appeals/${m.appealId}`} className="reg-number">{m.registrationNumber}</Link></th>
                <td>{formatDate(m.registeredAt, lang)}</td>
                <td>{t(`common:status.${m.status}`)}</td>
                <td>{names.category(m.categoryId) || '—'}</td>
                <td>{names.district(m.districtId) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Notes({ city, data, onAdded }: { city: string; data: ProblemDetail; onAdded: () => Promise<void> }) {
  const { t, i18n } = useTranslation(['systemic', 'staff']);
  const lang = i18n.language;
  const [body, setBody] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) { setFieldError(t('detail.noteRequired')); return; }
    setFieldError(undefined);
    setBusy(true);
    try {
      const { error: err } = await api.POST('/api/v1/m/{municipality}/systemic-problems/{id}/notes', {
        params: { path: { municipality: city, id: data.id } }, body: { body: body.trim() },
      });
      if (err) { setError(problem(err, t('staff:error.generic'))); return; }
      setError(null);
      setBody('');
      await onAdded();
    } catch {
      setError(t('staff:error.offline'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="sp-section" aria-labelledby={id}>
      <h2 id={id}>{t('detail.notes')}</h2>
      {data.notes.length === 0 ? <p className="meta">{t('detail.noNotes')}</p> : (
        <ul className="notes">
          {data.notes.map((n) => (
            <li key={n.id} className="card">
              <p className="meta">{n.authorName ?? t('staff:timeline.unknownStaff')}, {formatDate(n.createdAt, lang, true)}</p>
              <p className="pre-wrap sp-note-body">{n.body}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate aria-label={t('detail.addNote')}>
        {error ? <Alert kind="error">{error}</Alert> : null}
        <TextArea label={t('detail.note')} hint={t('detail.noteHint')} rows={3} maxLength={4000} value={body} onChange={(e) => setBody(e.target.value)} error={fieldError} />
        <Button type="submit" variant="secondary" disabled={busy}>{busy ? t('staff:form.sending') : t('detail.addNote')}</Button>
      </form>
    </section>
  );
}
