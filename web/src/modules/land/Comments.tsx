/**
 * The discussion of a plot, an announcement or a proposal: threaded, oldest first; a hidden comment shows only the
 * moderator's reason; the city's official answers are marked. Signed-in people comment, reply and report (with a
 * reason); others get a sign-in link that returns here. The rules are shown above the form.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, fieldErrors } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, TextArea, TextInput } from '../../ui/ui.js';
import { errorsByField, inLang, Loaded, SignInLink, useFormat, useLoaded, type Comments as CommentsData } from './shared.js';

type Subject = 'plots' | 'announcements' | 'proposals';
type Comment = CommentsData['items'][number];

export function Comments({ city, subject, id, closed }: { city: string; subject: Subject; id: string; closed?: string | undefined }) {
  const { t } = useTranslation('land');
  const [version, setVersion] = useState(0);
  const loaded = useLoaded<CommentsData>(`${city}|${subject}|${id}|${version}`, () =>
    api.GET(`/api/v1/m/{municipality}/land/${subject}/{id}/comments` as '/api/v1/m/{municipality}/land/plots/{id}/comments',
      { params: { path: { municipality: city, id }, query: { limit: 500 } } }));
  return (
    <section aria-labelledby="land-comments" className="land-comments">
      <h2 id="land-comments">{t('comments.heading')}</h2>
      <Loaded loaded={loaded}>{(data) => (
        <Thread city={city} subject={subject} id={id} data={data} closed={closed} onChange={() => setVersion((v) => v + 1)} />
      )}</Loaded>
    </section>
  );
}

function Thread({ city, subject, id, data, closed, onChange }: { city: string; subject: Subject; id: string; data: CommentsData; closed: string | undefined; onChange: () => void }) {
  const { t } = useTranslation('land');
  const { lang } = useFormat();
  const tree = new Map<string | null, Comment[]>();
  const known = new Set(data.items.map((c) => c.id));
  for (const c of data.items) {
    const parent = c.parentId && known.has(c.parentId) ? c.parentId : null;
    tree.set(parent, [...(tree.get(parent) ?? []), c]);
  }
  const roots = tree.get(null) ?? [];
  return (
    <>
      <div className="land-rules">
        <h3>{t('comments.rules')}</h3>
        <p>{inLang(data.rules, lang)}</p>
      </div>
      {closed ? <Alert kind="info">{closed}</Alert> : <CommentForm city={city} subject={subject} id={id} onDone={onChange} />}
      {roots.length ? (
        <ol className="land-thread">{roots.map((c) => <CommentItem key={c.id} c={c} tree={tree} city={city} subject={subject} id={id} canReply={!closed} onChange={onChange} />)}</ol>
      ) : <p>{t('comments.none')}</p>}
    </>
  );
}

function CommentItem({ c, tree, city, subject, id, canReply, onChange }: {
  c: Comment; tree: Map<string | null, Comment[]>; city: string; subject: Subject; id: string; canReply: boolean; onChange: () => void;
}) {
  const { t } = useTranslation('land');
  const { time } = useFormat();
  const { me } = useSession();
  const [mode, setMode] = useState<'none' | 'reply' | 'report'>('none');
  const replies = tree.get(c.id) ?? [];
  return (
    <li className={`land-comment${c.official ? ' land-official' : ''}`}>
      <article aria-label={c.hidden ? t('comments.hiddenLabel') : t('comments.by', { name: c.authorName ?? '' })}>
        {c.hidden ? (
          <p className="land-hidden"><em>{t('comments.hidden', { reason: c.hiddenReason ?? '' })}</em></p>
        ) : (
          <>
            <p className="land-comment-meta">
              <strong>{c.authorName}</strong>
              {c.official ? <span className="land-badge">{t('comments.official')}</span> : c.authorKind === 'staff' ? <span className="land-badge">{t('comments.staff')}</span> : null}
              {' · '}<time dateTime={c.createdAt}>{time(c.createdAt)}</time>
            </p>
            <p className="land-comment-body">{c.body}</p>
            {me ? (
              <div className="land-comment-actions">
                {canReply ? <Button variant="link" aria-expanded={mode === 'reply'} onClick={() => setMode(mode === 'reply' ? 'none' : 'reply')}>{t('comments.reply')}</Button> : null}
                {me.kind === 'citizen' ? <Button variant="link" aria-expanded={mode === 'report'} onClick={() => setMode(mode === 'report' ? 'none' : 'report')}>{t('comments.report')}</Button> : null}
              </div>
            ) : null}
            {mode === 'reply' ? <CommentForm city={city} subject={subject} id={id} parentId={c.id} onDone={() => { setMode('none'); onChange(); }} /> : null}
            {mode === 'report' ? <ReportForm city={city} commentId={c.id} onDone={() => setMode('none')} /> : null}
          </>
        )}
      </article>
      {replies.length ? <ol className="land-thread">{replies.map((r) => <CommentItem key={r.id} c={r} tree={tree} city={city} subject={subject} id={id} canReply={canReply} onChange={onChange} />)}</ol> : null}
    </li>
  );
}

/** The public name a resident last signed comments with, for the next form (this tab only). */
const NAME_KEY = 'shaar.land.publicName';
const rememberedName = () => { try { return sessionStorage.getItem(NAME_KEY) ?? ''; } catch { return ''; } };

function CommentForm({ city, subject, id, parentId, onDone }: { city: string; subject: Subject; id: string; parentId?: string; onDone: () => void }) {
  const { t } = useTranslation('land');
  const { me } = useSession();
  const [body, setBody] = useState('');
  const [name, setName] = useState(rememberedName);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  if (!me) return <p className="land-signin"><SignInLink>{t('comments.signIn')}</SignInLink></p>;
  // Residents choose the name shown with their comments (their account's by default); staff always show their own.
  const asResident = me.kind === 'citizen';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    const authorName = asResident && name.trim() ? name.trim() : undefined;
    const { error: err } = await api.POST(`/api/v1/m/{municipality}/land/${subject}/{id}/comments` as '/api/v1/m/{municipality}/land/plots/{id}/comments', {
      params: { path: { municipality: city, id } }, body: { body, ...(parentId ? { parentId } : {}), ...(authorName ? { authorName } : {}) },
    }).catch(() => ({ error: {} as unknown }));
    setBusy(false);
    if (err !== undefined) {
      const byField = errorsByField(err, t('common:error.generic'));
      setErrors(byField.authorName || byField.body ? byField : { body: errorMessage(err, t('common:error.generic')) });
      return;
    }
    if (authorName) { try { sessionStorage.setItem(NAME_KEY, authorName); } catch { /* private mode */ } }
    setBody('');
    onDone();
  };
  return (
    <form className="land-comment-form" onSubmit={(e) => void submit(e)}>
      <TextArea label={parentId ? t('comments.replyLabel') : t('comments.label')} value={body} onChange={(e) => setBody(e.target.value)} required maxLength={4000} rows={3} error={errors.body} />
      {asResident ? (
        <TextInput label={t('comments.publicName')} hint={t('comments.publicNameHint')} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoComplete="name" error={errors.authorName} />
      ) : null}
      <Button type="submit" disabled={busy}>{parentId ? t('comments.sendReply') : t('comments.send')}</Button>
    </form>
  );
}

function ReportForm({ city, commentId, onDone }: { city: string; commentId: string; onDone: () => void }) {
  const { t } = useTranslation('land');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [sent, setSent] = useState(false);
  if (sent) return <Alert kind="success">{t('comments.reported')}</Alert>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { error: err } = await api.POST('/api/v1/m/{municipality}/land/comments/{id}/reports', { params: { path: { municipality: city, id: commentId } }, body: { reason } });
    if (err) { setError(fieldErrors(err).reason ?? errorMessage(err, t('common:error.generic'))); return; }
    setSent(true);
    window.setTimeout(onDone, 4000);
  };
  return (
    <form className="land-comment-form" onSubmit={(e) => void submit(e)}>
      <TextArea label={t('comments.reportReason')} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={500} rows={2} error={error} />
      <Button type="submit" variant="secondary">{t('comments.sendReport')}</Button>
    </form>
  );
}
