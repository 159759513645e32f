/**
 * The staff member's notifications: the in-app feed (newest first, unread marked, each linked to its appeal),
 * marking one or all as read, and the preferences: whether to be told by e-mail too, and about which events.
 * The in-app feed always keeps everything.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { api } from '../../api/client.js';
import { STAFF_EVENTS, type FeedItem, type FeedPage, type Preferences } from './oversight.js';
import { formatDate, problem } from './shared.js';
import { setUnreadCount } from './StaffNavItems.js';

const PAGE_SIZE = 30;

export function NotificationsPage() {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const lang = i18n.language;
  const { city = '' } = useParams();
  const { refresh } = useSession();
  const [feed, setFeed] = useState<FeedItem[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const path = { municipality: city };

  const fetchPage = useCallback(async (cursor?: string) => {
    const { data, error: err, response } = await api.GET('/api/v1/m/{municipality}/notifications', {
      params: { path: { municipality: city }, query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
    });
    if (response.status === 401) { void refresh(); return null; }
    if (err || !data) throw new Error(problem(err, t('error.generic')));
    return data;
  }, [city, refresh, t]);

  const apply = useCallback((data: FeedPage, append: boolean) => {
    setFeed((prev) => (append && prev ? [...prev, ...data.items] : data.items));
    setNextCursor(data.nextCursor);
    setUnread(data.unreadCount);
    setUnreadCount(city, data.unreadCount);
  }, [city]);

  const load = useCallback(async () => {
    try {
      const data = await fetchPage();
      if (data) { apply(data, false); setError(null); }
    } catch (e) {
      setError(e instanceof Error && e.message ? e.message : t('error.offline'));
    }
  }, [fetchPage, apply, t]);
  useEffect(() => { setFeed(null); void load(); }, [load]);

  async function more() {
    if (!nextCursor) return;
    setBusy(true);
    try {
      const data = await fetchPage(nextCursor);
      if (data) apply(data, true);
    } catch (e) {
      setError(e instanceof Error && e.message ? e.message : t('error.offline'));
    } finally {
      setBusy(false);
    }
  }

  async function markRead(body: { ids: string[] } | { all: true }, done: string) {
    setBusy(true);
    setStatus('');
    try {
      const { data, error: err } = await api.POST('/api/v1/m/{municipality}/notifications/read', { params: { path }, body });
      if (err || !data) { setError(problem(err, t('error.generic'))); return; }
      const now = new Date().toISOString();
      const ids = 'ids' in body ? new Set(body.ids) : null;
      setFeed((prev) => prev?.map((n) => (!n.readAt && (!ids || ids.has(n.id)) ? { ...n, readAt: now } : n)) ?? prev);
      const left = data.unreadCount;
      setUnread(left);
      setUnreadCount(city, left);
      setError(null);
      setStatus(done);
      // The button pressed may be gone (the item is read now): focus goes to the list's heading.
      requestAnimationFrame(() => headingRef.current?.focus());
    } catch {
      setError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }

  const title = t('notifications.title');
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <section aria-labelledby="feed-h" className="notifications">
        <div className="section-head">
          <h2 id="feed-h" ref={headingRef} tabIndex={-1}>{t('notifications.feed')}</h2>
          {feed && unread > 0 ? (
            <Button variant="secondary" onClick={() => void markRead({ all: true }, t('notifications.allMarked'))} disabled={busy}>
              {t('notifications.markAll')}
            </Button>
          ) : null}
        </div>
        <p role="status" aria-live="polite" className="inbox-count">
          {feed ? [status, t('notifications.unreadCount', { count: unread, n: unread })].filter(Boolean).join(' ') : ''}
        </p>
        {error ? <Alert kind="error">{error}</Alert> : null}
        {feed === null ? (error ? null : <Loading label={t('common:loading')} />) : feed.length === 0 ? <p>{t('notifications.empty')}</p> : (
          <ul className="feed">
            {feed.map((n) => (
              <li key={n.id} className={n.readAt ? 'feed-item' : 'feed-item is-unread'}>
                <p className="meta">
                  {n.readAt ? null : <><span className="badge badge-new">{t('notifications.new')}</span>{' '}</>}
                  <time dateTime={n.createdAt}>{formatDate(n.createdAt, lang, true)}</time>
                  {' · '}{t(`event.${n.event}`, { defaultValue: t('notifications.otherEvent') })}
                </p>
                <h3 className="feed-subject">{n.subject}</h3>
                <p className="feed-body">{n.body}</p>
                <div className="row-actions">
                  {n.appealId ? <Link to={`/staff/${city}/appeals/${n.appealId}`}>{t('notifications.openAppeal')}<span className="visually-hidden">: {n.subject}</span></Link> : null}
                  {n.readAt ? null : (
                    <button type="button" className="btn-link" disabled={busy}
                      onClick={() => void markRead({ ids: [n.id] }, t('notifications.marked'))}>
                      {t('notifications.markRead')}<span className="visually-hidden">: {n.subject}</span>
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
        {nextCursor ? <p><Button variant="secondary" onClick={() => void more()} disabled={busy}>{t('inbox.loadMore')}</Button></p> : null}
      </section>
      <PreferencesForm city={city} />
    </>
  );
}

function PreferencesForm({ city }: { city: string }) {
  const { t } = useTranslation(['staff', 'common']);
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { municipality: city };

  useEffect(() => {
    let live = true;
    api.GET('/api/v1/m/{municipality}/notification-preferences', { params: { path: { municipality: city } } })
      .then(({ data, error }) => {
        if (!live) return;
        if (error || !data) setLoadError(problem(error, t('error.generic'))); else setPrefs(data);
      })
      .catch(() => { if (live) setLoadError(t('error.offline')); });
    return () => { live = false; };
  }, [city, t]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!prefs) return;
    setBusy(true);
    setMessage(null);
    try {
      const { data, error } = await api.PUT('/api/v1/m/{municipality}/notification-preferences', { params: { path }, body: prefs });
      if (error) { setMessage({ kind: 'error', text: problem(error, t('error.generic')) }); return; }
      if (data) setPrefs(data);
      setMessage({ kind: 'success', text: t('preferences.saved') });
    } catch {
      setMessage({ kind: 'error', text: t('error.offline') });
    } finally {
      setBusy(false);
    }
  }

  const toggleEvent = (event: string, on: boolean) => setPrefs((p) => p && ({
    ...p, mutedEvents: on ? p.mutedEvents.filter((x) => x !== event) : [...new Set([...p.mutedEvents, event])] as Preferences['mutedEvents'],
  }));

  return (
    <section aria-labelledby="prefs-h" className="card preferences">
      <h2 id="prefs-h">{t('preferences.title')}</h2>
      <p className="hint">{t('preferences.intro')}</p>
      {loadError ? <Alert kind="error">{loadError}</Alert> : null}
      {prefs ? (
        <form onSubmit={(e) => void save(e)} noValidate>
          <div className="checkbox-field">
            <input id="pref-email" type="checkbox" checked={prefs.email} onChange={(e) => setPrefs({ ...prefs, email: e.target.checked })}
              aria-describedby="pref-email-hint" />
            <label htmlFor="pref-email">{t('preferences.email')}</label>
            <p id="pref-email-hint" className="hint">{t('preferences.emailHint')}</p>
          </div>
          <fieldset disabled={!prefs.email}>
            <legend>{t('preferences.events')}</legend>
            <p className="hint">{t('preferences.eventsHint')}</p>
            {STAFF_EVENTS.map((ev) => (
              <div key={ev} className="checkbox-field">
                <input id={`pref-${ev}`} type="checkbox" checked={!prefs.mutedEvents.includes(ev)} onChange={(e) => toggleEvent(ev, e.target.checked)} />
                <label htmlFor={`pref-${ev}`}>{t(`event.${ev}`)}</label>
              </div>
            ))}
          </fieldset>
          <div aria-live="polite">{message ? <Alert kind={message.kind}>{message.text}</Alert> : null}</div>
          <Button type="submit" disabled={busy}>{busy ? t('form.sending') : t('preferences.save')}</Button>
        </form>
      ) : loadError ? null : <Loading label={t('common:loading')} />}
    </section>
  );
}
