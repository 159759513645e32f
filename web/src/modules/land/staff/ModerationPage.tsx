/**
 * /staff/:city/land/moderation — the reports queue (moderators, admins): each reported comment's text, a link to what
 * it is on, the reasons and how many reported it; hide it with a public reason, or keep it. Resolved reports show
 * hidden comments, which can be restored.
 */
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, PageTitle, Select, TextArea } from '../../../ui/ui.js';
import { asFailure, can, LandTabs, Loaded, NotAllowed, send, useCity, useData, useFormat, useRoles, type Reports } from './shared.js';

type Report = Reports['items'][number];
const SUBJECT_PATH: Record<string, string> = { plot: 'plots', announcement: 'announcements', proposal: 'proposals' };

export function ModerationPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const roles = useRoles();
  const [status, setStatus] = useState<'open' | 'resolved' | 'all'>('open');
  const [done, setDone] = useState<string | null>(null);
  const reports = useData<Reports>(`${city}|${status}`, () => send(api.GET('/api/v1/m/{municipality}/admin/land/reports', {
    params: { path: { municipality: city }, query: { status, limit: 200 } },
  })));
  const title = t('moderation.title');
  if (!can(roles, 'moderation')) return <><PageTitle title={title}>{title}</PageTitle><LandTabs /><NotAllowed /></>;

  // One card per comment: a comment reported by several people is decided once.
  const grouped = (items: Report[]) => {
    const byComment = new Map<string, Report[]>();
    for (const r of items) byComment.set(r.comment.id, [...(byComment.get(r.comment.id) ?? []), r]);
    return [...byComment.values()];
  };
  const changed = (text: string) => { setDone(text); reports.reload(); };

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <LandTabs />
      <Select label={t('moderation.show')} value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
        <option value="open">{t('moderation.open')}</option>
        <option value="resolved">{t('moderation.resolved')}</option>
        <option value="all">{t('moderation.all')}</option>
      </Select>
      {done ? <Alert kind="success">{done}</Alert> : null}
      <Loaded data={reports}>{(data) => data.items.length === 0 ? <p>{t('moderation.none')}</p> : (
        <ul className="queue">{grouped(data.items).map((rs) => <ReportCard key={rs[0]!.comment.id} city={city} reports={rs} onChanged={changed} />)}</ul>
      )}</Loaded>
    </>
  );
}

function ReportCard({ city, reports, onChanged }: { city: string; reports: Report[]; onChanged: (text: string) => void }) {
  const { t } = useTranslation('landStaff');
  const { time, num } = useFormat();
  const c = reports[0]!.comment;
  const open = reports.filter((r) => r.resolution === null);
  const [hiding, setHiding] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();

  async function act(run: () => Promise<unknown>, text: string) {
    try { await run(); onChanged(text); } catch (err) { setError(asFailure(err).message); }
  }
  async function hide(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 3) { setError(t('moderation.reasonRequired')); return; }
    await act(() => send(api.POST('/api/v1/m/{municipality}/admin/land/comments/{id}/hide', { params: { path: { municipality: city, id: c.id } }, body: { reason: reason.trim() } })),
      t('moderation.hidden'));
  }
  const keep = () => act(async () => {
    for (const r of open) await send(api.POST('/api/v1/m/{municipality}/admin/land/reports/{id}/keep', { params: { path: { municipality: city, id: r.id } } }));
  }, t('moderation.kept'));
  const restore = () => act(() => send(api.POST('/api/v1/m/{municipality}/admin/land/comments/{id}/unhide', { params: { path: { municipality: city, id: c.id } }, body: {} })),
    t('moderation.restored'));

  return (
    <li className="card ls-report-card">
      <h2 className="queue-title">
        {t('moderation.commentBy', { name: c.authorName, time: time(c.createdAt) })}
        {' '}<span className="badge">{c.hidden ? t('moderation.isHidden') : t('moderation.isShown')}</span>
      </h2>
      <p className="ls-quote">{c.body}</p>
      <p><Link to={`/${city}/land/${SUBJECT_PATH[c.subjectType]}/${c.subjectId}`}>{t(`moderation.subject.${c.subjectType}`)}</Link></p>
      {c.hidden && c.hiddenReason ? <p>{t('moderation.publicReason', { reason: c.hiddenReason })}</p> : null}
      <h3>{t('moderation.reasons', { count: reports.length, n: num(reports.length) })}</h3>
      <ul>{reports.map((r) => (
        <li key={r.id}>{r.reason} <span className="hint">({time(r.createdAt)}{r.resolution ? `, ${t(`moderation.resolution.${r.resolution}`)}` : ''})</span></li>
      ))}</ul>
      {error && !hiding ? <Alert kind="error">{error}</Alert> : null}
      {c.hidden ? <p><Button variant="secondary" onClick={() => void restore()}>{t('moderation.restore')}</Button></p>
        : hiding ? (
          <form onSubmit={hide} noValidate>
            <TextArea label={t('moderation.hideReason')} hint={t('moderation.hideHint')} required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={error} />
            <p className="row-actions">
              <Button type="submit" variant="danger">{t('moderation.hideConfirm')}</Button>
              <Button variant="secondary" onClick={() => { setHiding(false); setError(undefined); }}>{t('cancel')}</Button>
            </p>
          </form>
        ) : (
          <p className="row-actions">
            <Button variant="danger" onClick={() => setHiding(true)}>{t('moderation.hide')}</Button>
            {open.length ? <Button variant="secondary" onClick={() => void keep()}>{t('moderation.keep')}</Button> : null}
          </p>
        )}
    </li>
  );
}
