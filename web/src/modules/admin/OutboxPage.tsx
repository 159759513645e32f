/**
 * The dev outbox: in embedded and demo mode messages are not sent but kept (DELIVERY=outbox), and this page lists
 * them, newest first — e-mails, SMS, residents' sign-in codes — with their real recipients. For administrators
 * only, and only where the server keeps an outbox: the link to it appears when the outbox route answers.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { Button, Select } from '../../ui/ui.js';
import { AdminFrame, getOutbox, ResourceView, StatusMessage, unwrap, useIsAdmin, useResource } from './common.js';

const LIMITS = [50, 200, 500] as const;
export function OutboxPage() {
  const { t, i18n } = useTranslation(['admin', 'common']);
  const { me } = useSession();
  const isAdmin = useIsAdmin();
  const [limit, setLimit] = useState<number>(LIMITS[0]);
  const [message, setMessage] = useState('');
  const headingId = useId();
  const list = useResource(async () => {
    const r = await unwrap(getOutbox(limit));
    return r.items;
  }, [limit, me?.id]);
  const when = (iso: string) => new Intl.DateTimeFormat(Intl.DateTimeFormat.supportedLocalesOf([i18n.language]).length ? i18n.language : 'ru', {
    day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).format(new Date(iso));

  const refresh = async () => {
    setMessage('');
    await list.reload();
    setMessage(t('admin:outbox.refreshed', { time: when(new Date().toISOString()) }));
  };

  return (
    <AdminFrame title={t('admin:outbox.title')} intro={t('admin:outbox.intro')}>
      {isAdmin ? (
        <section className="admin-list" aria-labelledby={headingId}>
          <div className="section-head">
            <h2 id={headingId}>{t('admin:outbox.listTitle')}</h2>
            <div className="outbox-tools">
              <Select label={t('admin:outbox.limit')} value={String(limit)} onChange={(e) => setLimit(Number(e.target.value))}>
                {LIMITS.map((n) => <option key={n} value={n}>{t('admin:outbox.latest', { count: n })}</option>)}
              </Select>
              <Button variant="secondary" onClick={() => void refresh()} aria-disabled={list.loading || undefined}>{t('admin:outbox.refresh')}</Button>
            </div>
          </div>
          <StatusMessage message={message} />
          <ResourceView resource={list}>
            {(items) => items.length === 0 ? <p>{t('admin:outbox.empty')}</p> : (
              <ul className="outbox">
                {items.map((m) => (
                  <li key={m.id} className="card">
                    <p className="meta">
                      <time dateTime={m.createdAt}>{when(m.createdAt)}</time>
                      {' · '}<span className="badge badge-scheduled">{t(`admin:outbox.channel.${m.channel}`, { defaultValue: m.channel.toUpperCase() })}</span>
                      {' · '}<span className="visually-hidden">{t('admin:outbox.to')} </span><span className="key-value">{m.recipient}</span>
                    </p>
                    {m.subject ? <h3 className="outbox-subject">{m.subject}</h3> : null}
                    <p className="outbox-body">{m.body}</p>
                  </li>
                ))}
              </ul>
            )}
          </ResourceView>
        </section>
      ) : null}
    </AdminFrame>
  );
}
