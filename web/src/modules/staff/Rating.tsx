/**
 * The resident's rating of an answer as staff see it (read-only: no staff route changes it), and the state of
 * the review the resident asked for.
 */
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.js';
import type { RatingFigures } from './oversight.js';
import { formatDate } from './shared.js';

export function RatingView({ rating, heading = true }: { rating: RatingFigures; heading?: boolean }) {
  const { t, i18n } = useTranslation('staff');
  const lang = i18n.language;
  const low = rating.overall <= 2 || rating.solved === 'no';
  const score = (n: number) => t('rating.score', { n: formatNumber(n, lang) });
  return (
    <div className={low ? 'rating rating-low' : 'rating'}>
      {heading ? <p className="rating-title">{t('rating.title')}{low ? <> <span className="badge badge-low">{t('rating.low')}</span></> : null}</p> : null}
      <dl className="facts">
        <div className="fact"><dt>{t('rating.overall')}</dt><dd>{score(rating.overall)}</dd></div>
        <div className="fact"><dt>{t('rating.solved')}</dt><dd>{t(`rating.solvedValue.${rating.solved}`, { defaultValue: '—' })}</dd></div>
        <div className="fact"><dt>{t('rating.clarity')}</dt><dd>{score(rating.clarity)}</dd></div>
        <div className="fact"><dt>{t('rating.accuracy')}</dt><dd>{score(rating.accuracy)}</dd></div>
        <div className="fact"><dt>{t('rating.onTime')}</dt><dd>{rating.onTimeFelt ? t('rating.yes') : t('rating.no')}</dd></div>
        {rating.comment ? <div className="fact"><dt>{t('rating.comment')}</dt><dd className="pre-wrap">{rating.comment}</dd></div> : null}
        {rating.createdAt ? (
          <div className="fact"><dt>{t('rating.ratedAt')}</dt><dd>
            {formatDate(rating.createdAt, lang, true)}
            {rating.updatedAt && rating.updatedAt !== rating.createdAt ? ` (${t('rating.changedAt', { date: formatDate(rating.updatedAt, lang, true) })})` : ''}
          </dd></div>
        ) : null}
      </dl>
    </div>
  );
}

export interface ReviewState { status: string; reason?: string | null; decisionReason?: string | null; createdAt?: string; decidedAt?: string | null }

export function ReviewView({ review }: { review: ReviewState }) {
  const { t, i18n } = useTranslation('staff');
  const lang = i18n.language;
  return (
    <div className="review-state">
      <p className="rating-title">
        {t('review.title')}: <span className="status">{t(`review.status.${review.status}`, { defaultValue: t('review.status.pending') })}</span>
        {review.createdAt ? <span className="meta"> · {formatDate(review.createdAt, lang, true)}</span> : null}
      </p>
      <dl className="facts">
        {review.reason ? <div className="fact"><dt>{t('review.reason')}</dt><dd className="pre-wrap">{review.reason}</dd></div> : null}
        {review.decisionReason ? (
          <div className="fact"><dt>{t('review.decisionReason')}</dt><dd className="pre-wrap">
            {review.decisionReason}{review.decidedAt ? <span className="meta"> · {formatDate(review.decidedAt, lang, true)}</span> : null}
          </dd></div>
        ) : null}
      </dl>
    </div>
  );
}

export interface FollowUpState { askedAt: string | null; stillSolved: boolean | null; answeredAt?: string | null }

export function FollowUpView({ followUp }: { followUp: FollowUpState }) {
  const { t, i18n } = useTranslation('staff');
  if (!followUp.askedAt) return null;
  const lang = i18n.language;
  const text = followUp.stillSolved === null || followUp.stillSolved === undefined
    ? t('followUp.pending', { date: formatDate(followUp.askedAt, lang) })
    : followUp.stillSolved ? t('followUp.yes', { date: formatDate(followUp.answeredAt ?? followUp.askedAt, lang) })
      : t('followUp.no', { date: formatDate(followUp.answeredAt ?? followUp.askedAt, lang) });
  return <p className="follow-up">{text}</p>;
}
