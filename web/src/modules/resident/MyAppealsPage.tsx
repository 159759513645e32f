/**
 * "My appeals": the resident's appeals in this city, newest first — number, subject, status, due date and an
 * overdue mark in words — with "show more" for long lists.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.js';
import { rememberCity } from '../../app/cities.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { formatDay, isNetworkFailure, LoadFailed, RequireCitizen, ResidentLayout, StatusBadge } from './shared.js';
import type { paths } from '../../api/schema.js';

type Summary = paths['/api/v1/m/{municipality}/my/appeals']['get']['responses'][200]['content']['application/json']['items'][number];

const PAGE_SIZE = 20;

export function MyAppealsPage() {
  const { t } = useTranslation('resident');
  const { city = '' } = useParams();
  return (
    <ResidentLayout city={city}>
      <PageTitle title={t('my.title')}>{t('my.title')}</PageTitle>
      <RequireCitizen>{() => <MyAppealsList key={city} city={city} />}</RequireCitizen>
    </ResidentLayout>
  );
}

function MyAppealsList({ city }: { city: string }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const [items, setItems] = useState<Summary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ message: string; offline: boolean; more: boolean } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const focusFrom = useRef<number | null>(null);

  const fetchPage = useCallback(async (after: string | null) => {
    const { data, error } = await api.GET('/api/v1/m/{municipality}/my/appeals', {
      params: { path: { municipality: city }, query: { limit: PAGE_SIZE, ...(after ? { cursor: after } : {}) } },
    });
    if (!data) throw new Error(errorMessage(error, ''));
    return data;
  }, [city]);

  useEffect(() => {
    let live = true;
    setFailure(null);
    fetchPage(null).then((page) => {
      if (!live) return;
      rememberCity(city);
      setItems(page.items);
      setCursor(page.nextCursor);
    }, (e: unknown) => {
      if (live) setFailure({ message: (e as Error).message, offline: isNetworkFailure(e), more: false });
    });
    return () => { live = false; };
  }, [fetchPage, city, attempt]);

  // After "show more", the keyboard lands on the first new appeal.
  useEffect(() => {
    if (focusFrom.current === null || !items) return;
    const link = listRef.current?.querySelectorAll<HTMLAnchorElement>('li > h2 > a')[focusFrom.current];
    focusFrom.current = null;
    link?.focus();
  }, [items]);

  async function more() {
    if (!cursor || !items) return;
    setLoadingMore(true);
    setFailure(null);
    try {
      const page = await fetchPage(cursor);
      focusFrom.current = items.length;
      setItems([...items, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setFailure({ message: (e as Error).message, offline: isNetworkFailure(e), more: true });
    } finally {
      setLoadingMore(false);
    }
  }

  if (!items) {
    return failure ? <LoadFailed message={failure.message} offline={failure.offline} onRetry={() => setAttempt((n) => n + 1)} /> : <Loading label={t('common:loading')} />;
  }

  if (!items.length) {
    return (
      <div className="card">
        <p>{t('my.empty')}</p>
        <p><Link className="r-action r-action-primary" to={`/${city}/appeals/new`}>{t('my.fileOne')}</Link></p>
      </div>
    );
  }

  return (
    <>
      <p><Link to={`/${city}/appeals/new`}>{t('my.fileAnother')}</Link></p>
      <ul className="r-appeals" ref={listRef}>
        {items.map((a) => (
          <li key={a.id} className="card">
            <h2 className="r-appeal-subject"><Link to={`/${city}/my/${a.id}`}>{a.subject}</Link></h2>
            <dl className="r-dl r-dl-compact">
              <dt>{t('common:registrationNumber')}</dt><dd className="r-regno">{a.registrationNumber}</dd>
              <dt>{t('my.status')}</dt><dd><StatusBadge status={a.status} /></dd>
              <dt>{t('my.registered')}</dt><dd>{formatDay(a.registeredAt, lang)}</dd>
              <dt>{t('common:dueDate')}</dt>
              <dd>
                {formatDay(a.dueDate, lang)}
                {a.overdue ? <> <strong className="overdue r-overdue">{t('common:overdue')}</strong></> : null}
              </dd>
            </dl>
          </li>
        ))}
      </ul>
      {failure?.more ? <Alert kind="error">{failure.offline ? t('offlineLoad') : failure.message || t('common:error.generic')}</Alert> : null}
      {cursor ? <Button variant="secondary" onClick={() => void more()} disabled={loadingMore}>{loadingMore ? t('common:loading') : t('my.more')}</Button> : null}
      <p className="hint" role="status">{t('my.shown', { count: items.length })}</p>
    </>
  );
}
