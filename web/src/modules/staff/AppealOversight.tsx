/**
 * Parts of the staff appeal page about deadlines and what people were told: the appeal's extension requests (an
 * executor asks for more working days; a supervisor approves or refuses here or in the queue), and the
 * notifications sent about the appeal (who was told what, by which channel, with what result; addresses masked).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Loading, TextArea, TextInput } from '../../ui/ui.js';
import { Decision } from './Decision.js';
import { api } from '../../api/client.js';
import type { ExtensionRequest, SentNotification } from './oversight.js';
import { formatDate, hasRole, problem, useStaffList, useStaffMe, type StaffAppeal } from './shared.js';
import { EXTENSION_DECIDERS } from './StaffNavItems.js';

/** Statuses from which the lifecycle allows 'extend' (contracts/src/appeal-lifecycle.ts). */
const EXTENDABLE = ['assigned', 'in_progress', 'reopened', 'extended'];
const REQUESTERS = ['executor', 'service_head'];

/**
 * Whether the server shows this staff member an appeal's extension requests and notifications: city-wide roles,
 * and the appeal's own service (as canActOn on the server). Others are not asked, so no request is refused.
 */
function mayOversee(me: { roles: readonly string[]; serviceId: string | null } | null, appeal: StaffAppeal): boolean {
  if (hasRole(me, 'admin', 'operator', 'supervisor')) return true;
  return hasRole(me, ...REQUESTERS) && !!me?.serviceId && me.serviceId === appeal.serviceId;
}

// ---- extension requests ---------------------------------------------------------------------------------------

export function ExtensionRequests({ appeal, city, onChanged }: {
  appeal: StaffAppeal; city: string; onChanged: (message: string) => Promise<void>;
}) {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const lang = i18n.language;
  const me = useStaffMe();
  const [list, setList] = useState<ExtensionRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const openButton = useRef<HTMLButtonElement>(null);

  const allowed = mayOversee(me, appeal);
  const load = useCallback(async () => {
    if (!allowed) { setList([]); return; }
    try {
      const { data, error: err, response } = await api.GET('/api/v1/m/{municipality}/appeals/{id}/extension-requests', {
        params: { path: { municipality: city, id: appeal.id } },
      });
      // Staff who may not see them (e.g. an operator) are not shown the section.
      if (response.status === 403) { setError(null); setList([]); return; }
      if (err || !data) { setError(problem(err, t('error.generic'))); setList([]); return; }
      setError(null);
      setList(data.items);
    } catch {
      setError(t('error.offline'));
    }
  }, [city, appeal.id, t, allowed]);
  // Reloaded whenever the appeal changes (an approval moves the due date; a new version may follow a decision).
  useEffect(() => { void load(); }, [load, appeal.version]);

  const pending = list?.find((r) => r.status === 'pending') ?? null;
  const canRequest = hasRole(me, ...REQUESTERS) && EXTENDABLE.includes(appeal.status) && !pending && list !== null;
  const canDecide = hasRole(me, ...EXTENSION_DECIDERS);
  if (list === null && !error) return null;
  if (list !== null && list.length === 0 && !canRequest && !error) return null;

  const requester = (r: ExtensionRequest) => r.requestedBy.name ?? t('timeline.unknownStaff');

  const decide = async (r: ExtensionRequest, kind: string, reason: string) => {
    try {
      const params = { path: { municipality: city, id: r.id } };
      const { error: err } = kind === 'approve'
        ? await api.POST('/api/v1/m/{municipality}/extension-requests/{id}/approve', { params, body: reason ? { reason } : {} })
        : await api.POST('/api/v1/m/{municipality}/extension-requests/{id}/reject', { params, body: { reason } });
      if (err) return problem(err, t('error.generic'));
      await onChanged(kind === 'approve' ? t('extensions.approved', { number: appeal.registrationNumber, count: r.days }) : t('extensions.refused', { number: appeal.registrationNumber }));
      await load();
      return null;
    } catch {
      return t('error.offline');
    }
  };

  return (
    <section aria-labelledby="extension-h" className="card">
      <h2 id="extension-h">{t('extensionRequest.title')}</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {list && list.length > 0 ? (
        <ul className="answers">
          {list.map((r) => (
            <li key={r.id}>
              <p className="meta">{requester(r)} · {formatDate(r.createdAt, lang, true)}</p>
              <p>
                <strong>{t('extensions.daysValue', { count: r.days })}</strong>{' '}
                <span className="status">{t(`extensions.status.${r.status}`)}</span>
                {r.status === 'pending' && r.dueDateIfApproved ? <span className="meta"> {t('extensions.newDueDateInline', { date: formatDate(r.dueDateIfApproved, lang) })}</span> : null}
              </p>
              <p className="pre-wrap"><span className="label">{t('extensions.reason')}:</span> {r.reason}</p>
              {r.status !== 'pending' ? (
                <p className="meta">{[r.decidedBy?.name, r.decidedAt ? formatDate(r.decidedAt, lang, true) : null].filter(Boolean).join(' · ')}</p>
              ) : null}
              {r.decisionReason ? <p className="pre-wrap"><span className="label">{t('extensions.decisionReason')}:</span> {r.decisionReason}</p> : null}
              {r.status === 'pending' && canDecide ? (
                <Decision subject={appeal.registrationNumber} onDecide={(kind, reason) => decide(r, kind, reason)} kinds={[
                  { key: 'approve', label: t('extensions.approve'), confirm: t('extensions.confirmApprove', { count: r.days }), reasonLabel: t('form.reasonOptional'), reasonRequired: false },
                  { key: 'refuse', label: t('extensions.refuse'), confirm: t('extensions.confirmRefuse'), reasonLabel: t('form.reason'), reasonHint: t('extensions.refuseHint'), reasonRequired: true, variant: 'danger' },
                ]} />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {pending && !canDecide ? <p className="hint">{t('extensionRequest.pendingHint')}</p> : null}
      {canRequest ? (
        formOpen ? (
          <ExtensionRequestForm city={city} appealId={appeal.id}
            onCancel={() => { setFormOpen(false); requestAnimationFrame(() => openButton.current?.focus()); }}
            onSent={async (days) => {
              setFormOpen(false);
              await load();
              await onChanged(t('extensionRequest.sent', { count: days }));
            }} />
        ) : (
          <button ref={openButton} type="button" className="btn btn-secondary" aria-expanded="false" onClick={() => setFormOpen(true)}>
            {t('extensionRequest.open')}
          </button>
        )
      ) : null}
    </section>
  );
}

function ExtensionRequestForm({ city, appealId, onCancel, onSent }: {
  city: string; appealId: string; onCancel: () => void; onSent: (days: number) => Promise<void>;
}) {
  const { t } = useTranslation('staff');
  const [days, setDays] = useState('5');
  const [reason, setReason] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => { formRef.current?.querySelector('input')?.focus(); }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const n = Number(days);
    const problems: Record<string, string> = {};
    if (!(Number.isInteger(n) && n >= 1 && n <= 60)) problems.days = t('form.daysRange');
    if (reason.trim().length < 3) problems.reason = t('form.reasonRequired');
    setFieldErrors(problems);
    setError(null);
    if (Object.keys(problems).length) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      const { error: err } = await api.POST('/api/v1/m/{municipality}/appeals/{id}/extension-requests', {
        params: { path: { municipality: city, id: appealId } }, body: { days: n, reason: reason.trim() },
      });
      if (err) {
        const details = (err as { error?: { details?: unknown } }).error?.details;
        const byField: Record<string, string> = {};
        if (Array.isArray(details)) for (const d of details as { path?: string; message?: string }[]) if (d.path && d.message) byField[d.path] = d.message;
        setFieldErrors(byField);
        setError(problem(err, t('error.generic')));
        return;
      }
      await onSent(n);
    } catch {
      setError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="decision-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="extension-form-h"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } }}>
      <h3 id="extension-form-h">{t('extensionRequest.open')}</h3>
      <p className="hint">{t('extensionRequest.intro')}</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <TextInput label={t('extensionRequest.days')} hint={t('form.daysHint')} type="number" min={1} max={60} inputMode="numeric" value={days}
        onChange={(e) => setDays(e.target.value)} required error={fieldErrors.days} />
      <TextArea label={t('form.reason')} hint={t('extensionRequest.reasonHint')} rows={3} maxLength={2000} value={reason}
        onChange={(e) => setReason(e.target.value)} required error={fieldErrors.reason} />
      <div className="form-buttons">
        <Button type="submit" disabled={busy}>{busy ? t('form.sending') : t('extensionRequest.submit')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('common:cancel')}</Button>
      </div>
    </form>
  );
}

// ---- notifications sent ---------------------------------------------------------------------------------------

export function NotificationsSent({ city, appeal }: { city: string; appeal: StaffAppeal }) {
  const { t, i18n } = useTranslation(['staff', 'common']);
  const allowed = mayOversee(useStaffMe(), appeal);
  const appealId = appeal.id;
  const version = appeal.version;
  const lang = i18n.language;
  const staff = useStaffList(city);
  const [list, setList] = useState<SentNotification[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refreshedAt, setRefreshedAt] = useState<string>('');

  const load = useCallback(async (manual = false) => {
    if (!allowed) return;
    setBusy(true);
    try {
      const { data, error: err, response } = await api.GET('/api/v1/m/{municipality}/appeals/{id}/notifications', {
        params: { path: { municipality: city, id: appealId } },
      });
      // Staff who may not see them (403) are not shown the section at all.
      if (response.status === 403) { setList(null); setError(null); return; }
      if (err || !data) { setError(problem(err, t('error.generic'))); return; }
      setError(null);
      setList(data.items);
      if (manual) setRefreshedAt(t('sent.refreshed', { time: formatDate(new Date(), lang, true) }));
    } catch {
      setError(t('error.offline'));
    } finally {
      setBusy(false);
    }
  }, [city, appealId, t, lang, allowed]);
  useEffect(() => { void load(); }, [load, version]);

  if (list === null && !error) return null;

  return (
    <section aria-labelledby="sent-h" className="card">
      <div className="section-head">
        <h2 id="sent-h">{t('sent.title')}</h2>
        <Button variant="secondary" className="btn-small" onClick={() => void load(true)} disabled={busy}>{t('sent.refresh')}</Button>
      </div>
      <p className="hint">{t('sent.intro')}</p>
      <p role="status" aria-live="polite" className="status-empty">{refreshedAt}</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {list === null ? <Loading label={t('common:loading')} /> : list.length === 0 ? <p>{t('sent.none')}</p> : (
        <div className="table-wrap" role="region" aria-labelledby="sent-h" tabIndex={0}>
          <table className="compact-table">
            <thead>
              <tr>
                <th scope="col">{t('sent.col.when')}</th>
                <th scope="col">{t('sent.col.event')}</th>
                <th scope="col">{t('sent.col.to')}</th>
                <th scope="col">{t('sent.col.channel')}</th>
                <th scope="col">{t('sent.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((n, i) => (
                <tr key={n.id ?? i}>
                  <td className="nowrap">{formatDate(n.sentAt ?? n.createdAt, lang, true)}</td>
                  <td>{t(`event.${n.event}`, { defaultValue: t('notifications.otherEvent') })}</td>
                  <td>
                    {t(`sent.recipient.${n.recipientKind}`, { defaultValue: t('sent.recipient.other') })}
                    {n.recipientStaffId ? `: ${staff.find((s) => s.id === n.recipientStaffId)?.fullName ?? ''}` : null}
                    {n.address ? <><br /><span className="key-value">{n.address}</span></> : null}
                  </td>
                  <td>{t(`deliveryChannel.${n.channel}`, { defaultValue: n.channel.toUpperCase() })}</td>
                  <td>
                    <span className={`badge badge-delivery-${n.status}`}>{t(`sent.status.${n.status}`, { defaultValue: t('sent.status.pending') })}</span>
                    {n.attempts > 1 ? <span className="meta"> {t('sent.attempts', { count: n.attempts })}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
