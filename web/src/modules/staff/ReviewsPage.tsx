/**
 * The supervisor's queue of review requests: a resident rated an answer low (or "not solved") and asked for a
 * review. The supervisor reopens the appeal (it gets a new legal term and goes back to the service) or confirms
 * the closure; both with a reason, and the resident sees the reason for a confirmed closure. Heads of service see
 * their service's requests without deciding them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { Decision } from './Decision.js';
import { api } from '../../api/client.js';
import { useOverdueIds, useQueue, type ReviewRequest } from './oversight.js';
import { RatingView } from './Rating.js';
import { formatDate, hasRole, problem, useCityReference, useNames, useStaffList, useStaffMe } from './shared.js';
import { REVIEW_DECIDERS } from './StaffNavItems.js';

const STATUSES = ['pending', 'reopened', 'closure_confirmed'] as const;
type Status = (typeof STATUSES)[number];

export function ReviewsPage() {
  const { t } = useTranslation(['staff', 'common']);
  const { city = '' } = useParams();
  const [params] = useSearchParams();
  const status: Status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? params.get('status') as Status : 'pending';
  const me = useStaffMe();
  const { refresh } = useSession();
  const names = useNames(useCityReference(city));
  const staff = useStaffList(city);
  const fetchPage = useCallback((cursor?: string) => api.GET('/api/v1/m/{municipality}/review-requests', {
    params: { path: { municipality: city }, query: { status, limit: 50, ...(cursor ? { cursor } : {}) } },
  }), [city, status]);
  const { list, nextCursor, error, load, remove } = useQueue<ReviewRequest>(
    fetchPage, { generic: t('error.generic'), offline: t('error.offline') }, () => void refresh(), problem);
  const overdue = useOverdueIds(city, status);
  const [message, setMessage] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => { setMessage(''); }, [fetchPage]);

  const decide = async (r: ReviewRequest, kind: string, reason: string): Promise<string | null> => {
    try {
      const init = { params: { path: { municipality: city, id: r.id } }, body: { reason } };
      const { error: err } = kind === 'reopen'
        ? await api.POST('/api/v1/m/{municipality}/review-requests/{id}/reopen', init)
        : await api.POST('/api/v1/m/{municipality}/review-requests/{id}/confirm-closure', init);
      if (err) return problem(err, t('error.generic'));
      const number = r.registrationNumber;
      remove(r.id);
      setMessage(kind === 'reopen' ? t('reviews.reopened', { number }) : t('reviews.confirmed', { number }));
      requestAnimationFrame(() => headingRef.current?.focus());
      return null;
    } catch {
      return t('error.offline');
    }
  };

  const canDecide = hasRole(me, ...REVIEW_DECIDERS);
  const title = t('reviews.title');

  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <p className="hint">{t('reviews.intro')}</p>
      <nav aria-label={t('reviews.tabs')} className="tabs">
        <ul>
          {STATUSES.map((s) => (
            <li key={s}><Link to={s === 'pending' ? '?' : `?status=${s}`} aria-current={status === s ? 'page' : undefined}>{t(`reviews.tab.${s}`)}</Link></li>
          ))}
        </ul>
      </nav>
      <h2 ref={headingRef} tabIndex={-1} className="queue-heading">{t(`reviews.tab.${status}`)}</h2>
      <div role="status" aria-live="polite" className={message ? 'alert alert-success' : 'status-empty'}>{message}</div>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!canDecide ? <p className="hint">{t('reviews.readOnly')}</p> : null}
      {list === null ? (error ? null : <Loading label={t('common:loading')} />) : list.length === 0 ? <p>{t(`reviews.empty.${status}`)}</p> : (
        <ul className="queue">
          {list.map((r) => (
            <li key={r.id} className="card">
              <h3 className="queue-title">
                <Link to={`/staff/${city}/appeals/${r.appealId}`}><span className="reg-number">{r.registrationNumber}</span> {r.subject}</Link>
              </h3>
              <dl className="facts">
                <div className="fact"><dt>{t('appeal.service')}</dt><dd>{names.service(r.serviceId) || '—'}</dd></div>
                <div className="fact"><dt>{t('extensions.appealStatus')}</dt><dd>
                  {t(`common:status.${r.appealStatus}`)}
                  {overdue.has(r.appealId) ? <> <span className="overdue">{t('common:overdue')}</span></> : null}
                </dd></div>
                <div className="fact"><dt>{t('reviews.requestedAt')}</dt><dd>{formatDate(r.createdAt, names.lang, true)}</dd></div>
                <div className="fact"><dt>{t('review.reason')}</dt><dd className="pre-wrap">{r.reason || t('reviews.noReason')}</dd></div>
                {r.status !== 'pending' ? (
                  <>
                    <div className="fact"><dt>{t('reviews.decision')}</dt><dd>
                      {t(`review.status.${r.status}`)}
                      {r.decidedById ? `, ${staff.find((s) => s.id === r.decidedById)?.fullName ?? t('timeline.unknownStaff')}` : ''}
                      {r.decidedAt ? `, ${formatDate(r.decidedAt, names.lang, true)}` : ''}
                    </dd></div>
                    {r.decisionReason ? <div className="fact"><dt>{t('review.decisionReason')}</dt><dd className="pre-wrap">{r.decisionReason}</dd></div> : null}
                  </>
                ) : null}
              </dl>
              {r.rating ? <RatingView rating={r.rating} /> : null}
              {r.status === 'pending' && canDecide ? (
                <Decision subject={r.registrationNumber} onDecide={(kind, reason) => decide(r, kind, reason)} kinds={[
                  { key: 'reopen', label: t('reviews.reopen'), confirm: t('reviews.confirmReopen'), reasonLabel: t('form.reason'), reasonHint: t('reviews.reopenHint'), reasonRequired: true },
                  { key: 'confirm-closure', label: t('reviews.confirmClosure'), confirm: t('reviews.confirmClosureSubmit'), reasonLabel: t('reviews.closureReason'), reasonHint: t('reviews.closureHint'), reasonRequired: true },
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
