/**
 * Webhooks: every subscription of the city's integrators (which key, where it sends, which events), revoking one
 * after confirmation, and a subscription's delivery log — newest first, a page at a time — where a delivery that
 * failed for good can be sent again. Integrators create subscriptions themselves, with their API key.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { formatDate } from '../../i18n/index.js';
import { Alert, Button } from '../../ui/ui.js';
import {
  AdminFrame, ConfirmDialog, FormPanel, ListSection, ResourceView, TableHead, TableWrap, unwrap, useAnnouncer, useCity, useConfirm, useFormats,
  useIsAdmin, useResource, useSubmit,
} from './common.js';
import type { paths } from '../../api/schema.js';

type Base = '/api/v1/m/{municipality}/admin/webhooks';
type Subscription = paths[Base]['get']['responses'][200]['content']['application/json']['items'][number];
type Delivery = paths[`${Base}/{id}/deliveries`]['get']['responses'][200]['content']['application/json']['items'][number];

const PAGE = 20;

/** The receiver's host, which says more at a glance than the whole address. */
const hostOf = (url: string) => { try { return new URL(url).host; } catch { return url; } };

export function WebhooksPage() {
  const { t } = useTranslation(['admin', 'staff']);
  const dates = useFormats();
  const city = useCity();
  const list = useResource(
    () => unwrap(api.GET('/api/v1/m/{municipality}/admin/webhooks', { params: { path: { municipality: city } } })).then((r) => r.items),
    [city],
  );
  const status = useAnnouncer();
  const revocation = useConfirm<Subscription>();
  const [open, setOpen] = useState<Subscription | null>(null);

  const revoke = () => void revocation.run(async () => {
    const s = revocation.target;
    if (!s) return;
    await unwrap(api.DELETE('/api/v1/m/{municipality}/admin/webhooks/{id}', { params: { path: { municipality: city, id: s.id } } }));
    revocation.done();
    status.announce(t('admin:webhooks.revoked', { host: hostOf(s.url) }));
    void list.reload();
  });
  const events = (s: Subscription) => (s.events.length === 0 ? t('admin:webhooks.allEvents') : s.events.map((e) => t(`staff:event.${e}`)).join(', '));

  return (
    <AdminFrame title={t('admin:webhooks.title')} intro={t('admin:webhooks.intro')}>
      {open ? <DeliveryLog key={open.id} subscription={open} onClose={() => setOpen(null)} /> : null}
      <ListSection
        title={t('admin:webhooks.listTitle')}
        headingRef={status.headingRef}
        message={status.message}
        action={<Button variant="secondary" onClick={() => { status.clear(); void list.reload(); }}>{t('admin:webhooks.refresh')}</Button>}
      >
        <ResourceView resource={list}>
          {(items) => items.length === 0 ? <p>{t('admin:webhooks.empty')}</p> : (
            <TableWrap label={t('admin:webhooks.listTitle')}>
              <table>
                <caption className="visually-hidden">{t('admin:webhooks.listTitle')}</caption>
                <TableHead actionsLabel={t('admin:fields.actions')} columns={[
                  t('admin:webhooks.receiver'), t('admin:webhooks.apiKey'), t('admin:webhooks.events'), t('admin:webhooks.createdAt'), t('admin:fields.status'),
                ]} />
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id} className={s.revokedAt ? 'row-inactive' : undefined}>
                      <th scope="row">
                        <span className="webhook-host">{hostOf(s.url)}</span>
                        <br /><code className="webhook-url">{s.url}</code>
                      </th>
                      <td>{s.apiKeyName ?? t('admin:webhooks.keyGone')}</td>
                      <td>{events(s)}</td>
                      <td>{dates.date(s.createdAt)}</td>
                      <td>
                        {s.revokedAt
                          ? <span className="badge badge-off">{t('admin:webhooks.revokedOn', { date: dates.date(s.revokedAt) })}</span>
                          : <span className="badge badge-on">{t('admin:active')}</span>}
                      </td>
                      <td><div className="row-actions">
                        <Button variant="secondary" className="btn-small" aria-expanded={open?.id === s.id} onClick={() => setOpen(open?.id === s.id ? null : s)}>
                          {t('admin:webhooks.log')}<span className="visually-hidden">: {hostOf(s.url)}</span>
                        </Button>
                        {s.revokedAt ? null : (
                          <Button variant="secondary" className="btn-small" onClick={() => revocation.ask(s)}>
                            {t('admin:webhooks.revoke')}<span className="visually-hidden">: {hostOf(s.url)}</span>
                          </Button>
                        )}
                      </div></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </ResourceView>
      </ListSection>
      {revocation.target ? (
        <ConfirmDialog title={t('admin:webhooks.revokeTitle')} confirmLabel={t('admin:webhooks.revoke')} busy={revocation.busy} problem={revocation.problem}
          onConfirm={revoke} onClose={revocation.cancel}>
          <p>{t('admin:webhooks.revokeText', { url: revocation.target.url, key: revocation.target.apiKeyName ?? t('admin:webhooks.keyGone') })}</p>
        </ConfirmDialog>
      ) : null}
    </AdminFrame>
  );
}

/** The registration number the delivery was about, from the body that was sent. */
function registrationNumber(d: Delivery): string | null {
  const appeal = (d.payload as { appeal?: { registrationNumber?: unknown } } | null)?.appeal;
  return typeof appeal?.registrationNumber === 'string' ? appeal.registrationNumber : null;
}

/** One subscription's deliveries, newest first, with "more" and "send again" on failed ones. */
function DeliveryLog({ subscription, onClose }: { subscription: Subscription; onClose: () => void }) {
  const { t, i18n } = useTranslation(['admin', 'staff']);
  const city = useCity();
  const isAdmin = useIsAdmin();
  const [items, setItems] = useState<Delivery[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [message, setMessage] = useState('');
  const paging = useSubmit();
  const resending = useSubmit();
  const when = (value: string) => formatDate(value, i18n.language, true);

  const load = useCallback((cursor: string | null) => void paging.run(async () => {
    const page = await unwrap(api.GET('/api/v1/m/{municipality}/admin/webhooks/{id}/deliveries', {
      params: { path: { municipality: city, id: subscription.id }, query: { limit: PAGE, ...(cursor ? { cursor } : {}) } },
    }));
    setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
    setNext(page.nextCursor);
    setLoaded(true);
  }), [city, subscription.id, paging.run]);
  useEffect(() => { load(null); }, [load]);

  const resend = (d: Delivery) => void resending.run(async () => {
    setMessage('');
    const updated = await unwrap(api.POST('/api/v1/m/{municipality}/admin/webhooks/{id}/deliveries/{deliveryId}/resend', {
      params: { path: { municipality: city, id: subscription.id, deliveryId: d.id } },
    }));
    setItems((prev) => prev.map((x) => (x.id === updated.id ? updated : x)));
    setMessage(t('admin:webhooks.resent', { event: t(`staff:event.${d.event}`) }));
  });

  return (
    <FormPanel title={t('admin:webhooks.logTitle', { host: hostOf(subscription.url) })}>
      <p><code className="webhook-url">{subscription.url}</code></p>
      {paging.problem ? <Alert kind="error">{paging.problem.message}</Alert> : null}
      {resending.problem ? <Alert kind="error">{resending.problem.message}</Alert> : null}
      <div role="status" aria-live="polite" className={message ? 'alert alert-success' : 'status-empty'}>{message}</div>
      {loaded && items.length === 0 ? <p>{t('admin:webhooks.noDeliveries')}</p> : null}
      {items.length > 0 ? (
        <TableWrap label={t('admin:webhooks.deliveries')}>
          <table className="delivery-log">
            <caption className="visually-hidden">{t('admin:webhooks.logTitle', { host: hostOf(subscription.url) })}</caption>
            <TableHead actionsLabel={t('admin:fields.actions')} columns={[
              t('admin:webhooks.time'), t('admin:webhooks.event'), t('admin:webhooks.appeal'), t('admin:fields.status'), t('admin:webhooks.attempts'),
              t('admin:webhooks.lastAnswer'),
            ]} />
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{when(d.createdAt)}</th>
                  <td>{t(`staff:event.${d.event}`)}</td>
                  <td>{registrationNumber(d) ?? '—'}</td>
                  <td>
                    <span className={`badge badge-delivery-${d.status === 'delivered' ? 'sent' : d.status}`}>{t(`admin:webhooks.status.${d.status}`)}</span>
                    {d.deliveredAt ? <><br /><span className="hint">{when(d.deliveredAt)}</span></> : null}
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td>{lastAnswer(d, t)}</td>
                  <td>
                    {d.status === 'failed' && isAdmin && !subscription.revokedAt ? (
                      <Button variant="secondary" className="btn-small" onClick={() => resend(d)} aria-disabled={resending.busy || undefined}>
                        {t('admin:webhooks.resend')}<span className="visually-hidden">: {t(`staff:event.${d.event}`)}, {when(d.createdAt)}</span>
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <div className="form-actions">
        {next ? (
          <Button variant="secondary" onClick={() => load(next)} aria-disabled={paging.busy || undefined}>{paging.busy ? t('admin:working') : t('admin:webhooks.more')}</Button>
        ) : null}
        <Button variant="secondary" onClick={() => { setMessage(''); load(null); }}>{t('admin:webhooks.refresh')}</Button>
        <Button variant="secondary" onClick={onClose}>{t('admin:webhooks.closeLog')}</Button>
      </div>
    </FormPanel>
  );
}

/** The receiver's last answer: its HTTP status, or what went wrong on the way (the server's words, kept as they are). */
function lastAnswer(d: Delivery, t: (key: string, o?: Record<string, unknown>) => string) {
  if (d.lastStatusCode !== null) return <>{t('admin:webhooks.httpStatus', { code: d.lastStatusCode })}{d.lastError && !/^HTTP \d+$/.test(d.lastError) ? <> <code>{d.lastError}</code></> : null}</>;
  if (d.lastError) return <code>{d.lastError}</code>;
  return '—';
}
