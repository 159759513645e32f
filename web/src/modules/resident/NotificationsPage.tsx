/**
 * The resident's notifications (/notifications, one account across cities): the in-app feed, newest first, with
 * "mark read" and a link to the appeal; and the person's choices — e-mail and SMS on or off, and events they do not
 * want by e-mail or SMS (the feed here keeps everything). A lazy chunk: not on the first screen.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { pickName, useCities } from '../../app/cities.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { announceUnread } from './notifications.js';
import { formatDay, isNetworkFailure, LoadFailed, RequireCitizen, ResidentLayout, safeNext } from './shared.js';

type Feed = paths['/api/v1/my/notifications']['get']['responses'][200]['content']['application/json'];
type Item = Feed['items'][number];
type Preferences = paths['/api/v1/my/notification-preferences']['get']['responses'][200]['content']['application/json'];
type AppealEvent = Preferences['mutedEvents'][number];

/** The events a resident is told about (the others are staff's). */
const RESIDENT_EVENTS: AppealEvent[] = ['registered', 'redirected', 'extended', 'answered', 'closed', 'left_without_consideration', 'reopened', 'review_decided', 'follow_up_question'];
const PAGE_SIZE = 20;

export function NotificationsPage() {
  const { t } = useTranslation('resident');
  return (
    <ResidentLayout>
      <PageTitle title={t('notifications.title')}>{t('notifications.title')}</PageTitle>
      <RequireCitizen>{() => (
        <>
          <FeedView />
          <PreferencesForm />
        </>
      )}</RequireCitizen>
    </ResidentLayout>
  );
}

function FeedView() {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const cities = useCities();
  const [items, setItems] = useState<Item[] | null>(null);
  const [unread, setUnread] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; offline: boolean } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const focusFrom = useRef<number | null>(null);
  const headingId = useId();

  const fetchPage = useCallback(async (after: string | null) => {
    const { data, error } = await api.GET('/api/v1/my/notifications', { params: { query: { limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) } } });
    if (!data) throw new Error(errorMessage(error, ''));
    return data;
  }, []);

  useEffect(() => {
    let live = true;
    setFailure(null);
    fetchPage(null).then((page) => {
      if (!live) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      setUnread(page.unreadCount);
      announceUnread(page.unreadCount);
    }, (e: unknown) => { if (live) setFailure({ message: (e as Error).message, offline: isNetworkFailure(e) }); });
    return () => { live = false; };
  }, [fetchPage, attempt]);

  // After "show more", the keyboard lands on the first new item.
  useEffect(() => {
    if (focusFrom.current === null || !items) return;
    const heading = listRef.current?.querySelectorAll<HTMLElement>('li > article')[focusFrom.current];
    focusFrom.current = null;
    heading?.focus();
  }, [items]);

  async function markRead(body: { ids: string[] } | { all: true }, message: string | null): Promise<boolean> {
    setActionError(null);
    try {
      const { data, error } = await api.POST('/api/v1/my/notifications/read', { body });
      if (!data) { setActionError(errorMessage(error, t('common:error.generic'))); return false; }
      const now = new Date().toISOString();
      setItems((list) => list?.map((i) => ('all' in body || body.ids.includes(i.id)) && !i.readAt ? { ...i, readAt: now } : i) ?? null);
      setUnread(data.unreadCount);
      announceUnread(data.unreadCount);
      if (message) setNotice(message);
      return true;
    } catch (e) {
      setActionError(isNetworkFailure(e) ? t('offlineLoad') : t('common:error.generic'));
      return false;
    }
  }

  async function more() {
    if (!cursor || !items) return;
    setBusy(true);
    try {
      const page = await fetchPage(cursor);
      focusFrom.current = items.length;
      setItems([...items, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setActionError(isNetworkFailure(e) ? t('offlineLoad') : (e as Error).message || t('common:error.generic'));
    } finally {
      setBusy(false);
    }
  }

  const cityName = (slug: string) => pickName(cities?.find((c) => c.slug === slug)?.name, lang) || slug;
  const manyCities = new Set(items?.map((i) => i.municipality)).size > 1;

  return (
    <section aria-labelledby={headingId} className="nt-feed-section">
      <h2 id={headingId}>{t('notifications.feed.heading')}</h2>
      {items === null ? (
        failure ? <LoadFailed message={failure.message} offline={failure.offline} onRetry={() => setAttempt((n) => n + 1)} /> : <Loading label={t('common:loading')} />
      ) : items.length === 0 ? (
        <p>{t('notifications.feed.empty')}</p>
      ) : (
        <>
          <div className="r-row">
            <p className="r-inline" role="status">{unread ? t('notifications.feed.unread', { count: unread }) : t('notifications.feed.allRead')}</p>
            {unread ? <Button variant="secondary" onClick={() => void markRead({ all: true }, t('notifications.feed.markedAll'))}>{t('notifications.feed.markAll')}</Button> : null}
          </div>
          {notice ? <p className="visually-hidden" role="status">{notice}</p> : null}
          {actionError ? <Alert kind="error"><p>{actionError}</p></Alert> : null}
          <ul className="nt-feed" ref={listRef}>
            {items.map((item) => {
              const to = linkOf(item);
              return (
                <li key={item.id} className={item.readAt ? 'nt-item' : 'nt-item nt-unread'}>
                  <article aria-labelledby={`nt-${item.id}`} tabIndex={-1}>
                    {/* Opening the appeal marks the item read on the way. */}
                    <h3 id={`nt-${item.id}`} className="nt-subject">
                      {!item.readAt ? <><span className="nt-new">{t('notifications.feed.new')}</span><span className="visually-hidden">: </span></> : null}
                      {to ? <Link to={to} onClick={() => { if (!item.readAt) void markRead({ ids: [item.id] }, null); }}>{item.subject}</Link> : item.subject}
                    </h3>
                    <p className="nt-meta">
                      <time dateTime={item.createdAt}>{formatDay(item.createdAt, lang, true)}</time>
                      {manyCities ? <> · {cityName(item.municipality)}</> : null}
                    </p>
                    <p className="r-body-text nt-body">{item.body}</p>
                    {!item.readAt ? (
                      <Button variant="link" onClick={() => void markRead({ ids: [item.id] }, t('notifications.feed.marked'))}>
                        {t('notifications.feed.markRead')}<span className="visually-hidden">: {item.subject}</span>
                      </Button>
                    ) : null}
                  </article>
                </li>
              );
            })}
          </ul>
          {cursor ? <Button variant="secondary" onClick={() => void more()} disabled={busy}>{busy ? t('common:loading') : t('notifications.feed.more')}</Button> : null}
        </>
      )}
    </section>
  );
}

/** Where an item leads: the server's link on this site, else the appeal in its city. */
function linkOf(item: Item): string | null {
  const link = safeNext(item.link);
  if (link) return link;
  return item.appealId ? `/${item.municipality}/my/${item.appealId}` : null;
}

function PreferencesForm() {
  const { t } = useTranslation('resident');
  const headingId = useId();
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [failure, setFailure] = useState<{ message: string; offline: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  useEffect(() => {
    let live = true;
    setFailure(null);
    api.GET('/api/v1/my/notification-preferences').then(({ data, error }) => {
      if (!live) return;
      if (data) setPrefs(data);
      else setFailure({ message: errorMessage(error, ''), offline: false });
    }, (e: unknown) => { if (live) setFailure({ message: '', offline: isNetworkFailure(e) }); });
    return () => { live = false; };
  }, [attempt]);

  const change = (next: Partial<Preferences>) => {
    setPrefs((p) => (p ? { ...p, ...next } : p));
    setResult(null);
  };
  const toggleEvent = (event: AppealEvent, wanted: boolean) => {
    if (!prefs) return;
    const muted = new Set(prefs.mutedEvents);
    if (wanted) muted.delete(event); else muted.add(event);
    change({ mutedEvents: [...muted] });
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!prefs) return;
    setSaving(true);
    setResult(null);
    try {
      const { data, error } = await api.PUT('/api/v1/my/notification-preferences', { body: prefs });
      if (data) { setPrefs(data); setResult({ ok: true, message: t('notifications.prefs.saved') }); }
      else setResult({ ok: false, message: errorMessage(error, t('common:error.generic')) });
    } catch (err) {
      setResult({ ok: false, message: isNetworkFailure(err) ? t('notifications.prefs.offline') : t('common:error.generic') });
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className="card r-card nt-prefs">
      <h2 id={headingId}>{t('notifications.prefs.heading')}</h2>
      {!prefs ? (
        failure ? <LoadFailed message={failure.message} offline={failure.offline} onRetry={() => setAttempt((n) => n + 1)} /> : <Loading label={t('common:loading')} />
      ) : (
        <form onSubmit={(e) => void save(e)} noValidate>
          <p>{t('notifications.prefs.lead')}</p>
          <fieldset>
            <legend>{t('notifications.prefs.channels')}</legend>
            <Check label={t('notifications.prefs.email')} checked={prefs.email} onChange={(v) => change({ email: v })} />
            <Check label={t('notifications.prefs.sms')} checked={prefs.sms} onChange={(v) => change({ sms: v })} />
          </fieldset>
          <fieldset>
            <legend>{t('notifications.prefs.events')}</legend>
            <p className="hint">{t('notifications.prefs.eventsHint')}</p>
            {RESIDENT_EVENTS.map((event) => (
              <Check key={event} label={t(`notifications.events.${event}`)} checked={!prefs.mutedEvents.includes(event)}
                disabled={!prefs.email && !prefs.sms} onChange={(v) => toggleEvent(event, v)} />
            ))}
          </fieldset>
          {result ? <Alert kind={result.ok ? 'success' : 'error'}><p>{result.message}</p></Alert> : null}
          <Button type="submit" disabled={saving}>{saving ? t('rating.sending') : t('notifications.prefs.save')}</Button>
        </form>
      )}
    </section>
  );
}

function Check({ label, checked, onChange, disabled }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="r-check">
      <input id={id} type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
