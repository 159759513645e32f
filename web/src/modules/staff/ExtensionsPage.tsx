/**
 * The supervisor's queue of extension requests: executors ask for more working days with a reason; the supervisor
 * approves (the appeal's due date moves and the resident is told) or refuses with a reason the executor is told.
 * Tabs show the pending requests (the default) and the decided ones.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { Decision } from './Decision.js';
import { api } from '../../api/client.js';
import { pickName } from '../../app/cities.js';
import { useOverdueIds, useQueue, type ExtensionRequest } from './oversight.js';
import { formatDate, hasRole, problem, useStaffMe } from './shared.js';
import { EXTENSION_DECIDERS } from './StaffNavItems.js';

const STATUSES = ['pending', 'approved', 'refused'] as const;
type Status = (typeof STATUSES)[number];

export function ExtensionsPage() {
  const { t } = useTranslation(['staff', 'common']);
  const { city = '' } = useParams();
  const [params] = useSearchParams();
  const status: Status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? params.get('status') as Status : 'pending';
  const me = useStaffMe();
  const { refresh } = useSession();
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const fetchPage = useCallback((cursor?: string) => api.GET('/api/v1/m/{municipality}/extension-requests', {
    params: { path: { municipality: city }, query: { status, limit: 50, ...(cursor ? { cursor } : {}) } },
  }), [city, status]);
  const { list, nextCursor, error, load, remove } = useQueue<ExtensionRequest>(
    fetchPage, { generic: t('error.generic'), offline: t('error.offline') }, () => void refresh(), problem);
  const overdue = useOverdueIds(city, status);
  const [message, setMessage] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => { setMessage(''); }, [fetchPage]);

  const decide = async (r: ExtensionRequest, kind: string, reason: string): Promise<string | null> => {
    try {
      const params = { path: { municipality: city, id: r.id } };
      const { error: err } = kind === 'approve'
        ? await api.POST('/api/v1/m/{municipality}/extension-requests/{id}/approve', { params, body: reason ? { reason } : {} })
        : await api.POST('/api/v1/m/{municipality}/extension-requests/{id}/reject', { params, body: { reason } });
      if (err) return problem(err, t('error.generic'));
      const number = r.registrationNumber;
      remove(r.id);
      setMessage(kind === 'approve' ? t('extensions.approved', { number, count: r.days }) : t('extensions.refused', { number }));
      requestAnimationFrame(() => headingRef.current?.focus());
      return null;
    } catch {
      return t('error.offline');
    }
  };

  const canDecide = hasRole(me, ...EXTENSION_DECIDERS);
  const title = t('extensions.title');
  const requester = (r: ExtensionRequest) => r.requestedBy.name ?? t('timeline.unknownStaff');

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="hint">{t('extensions.intro')}</p>
      <nav aria-label={t('extensions.tabs')} className="tabs">
        <ul>
          {STATUSES.map((s) => (
            <li key={s}><Link to={s === 'pending' ? '?' : `?status=${s}`} aria-current={status === s ? 'page' : undefined}>{t(`extensions.tab.${s}`)}</Link></li>
          ))}
        </ul>
      </nav>
      <h2 ref={headingRef} tabIndex={-1} className="queue-heading">{t(`extensions.tab.${status}`)}</h2>
      <div role="status" aria-live="polite" className={message ? 'alert alert-success' : 'status-empty'}>{message}</div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {list === null ? (error ? null : <Loading label={t('common:loading')} />) : list.length === 0 ? <p>{t(`extensions.empty.${status}`)}</p> : (
        <ul className="queue">
          {list.map((r) => (
            <li key={r.id} className="card">
              <h3 className="queue-title">
                <Link to={`/staff/${city}/appeals/${r.appealId}`}><span className="reg-number">{r.registrationNumber}</span> {r.subject}</Link>
              </h3>
              <dl className="facts">
                <div className="fact"><dt>{t('appeal.service')}</dt><dd>{r.service ? pickName(r.service.name, lang) : '—'}</dd></div>
                <div className="fact"><dt>{t('extensions.appealStatus')}</dt><dd>{t(`common:status.${r.appealStatus}`, { defaultValue: '—' })}</dd></div>
                <div className="fact"><dt>{t('common:dueDate')}</dt><dd>
                  {formatDate(r.dueDate, lang)}
                  {overdue.has(r.appealId) ? <> <span className="overdue">{t('common:overdue')}</span></> : null}
                </dd></div>
                <div className="fact"><dt>{t('extensions.days')}</dt><dd>{t('extensions.daysValue', { count: r.days })}</dd></div>
                {r.dueDateIfApproved ? (
                  <div className="fact"><dt>{t('extensions.newDueDate')}</dt><dd>{formatDate(r.dueDateIfApproved, lang)}</dd></div>
                ) : null}
                {r.status === 'pending' ? (
                  <div className="fact"><dt>{t('extensions.daysLeft')}</dt><dd>{t('extensions.daysValue', { count: r.extensionDaysLeft })}</dd></div>
                ) : null}
                <div className="fact"><dt>{t('extensions.reason')}</dt><dd className="pre-wrap">{r.reason}</dd></div>
                <div className="fact"><dt>{t('extensions.requestedBy')}</dt><dd>{requester(r)}, {formatDate(r.createdAt, lang, true)}</dd></div>
                {r.status !== 'pending' ? (
                  <>
                    <div className="fact"><dt>{t('extensions.decision')}</dt><dd>
                      {t(`extensions.status.${r.status}`)}
                      {r.decidedBy?.name ? `, ${r.decidedBy.name}` : ''}{r.decidedAt ? `, ${formatDate(r.decidedAt, lang, true)}` : ''}
                    </dd></div>
                    {r.decisionReason ? <div className="fact"><dt>{t('extensions.decisionReason')}</dt><dd className="pre-wrap">{r.decisionReason}</dd></div> : null}
                  </>
                ) : null}
              </dl>
              {r.status === 'pending' && canDecide ? (
                <Decision subject={r.registrationNumber} onDecide={(kind, reason) => decide(r, kind, reason)} kinds={[
                  { key: 'approve', label: t('extensions.approve'), confirm: t('extensions.confirmApprove', { count: r.days }), reasonLabel: t('form.reasonOptional'), reasonRequired: false },
                  { key: 'refuse', label: t('extensions.refuse'), confirm: t('extensions.confirmRefuse'), reasonLabel: t('form.reason'), reasonHint: t('extensions.refuseHint'), reasonRequired: true, variant: 'danger' },
                ]} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {nextCursor && list ? <p><Button variant="secondary" onClick={() => void load(nextCursor)}>{t('inbox.loadMore')}</Button></p> : null}
    </>
  );
}
