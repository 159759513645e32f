/**
 * The resident's verdict on one answer, under it in "My appeals → Response": the rating form (overall 1–5, solved
 * yes/partly/no, clarity 1–5, accuracy 1–5, on time as felt, an optional comment), its summary with "change it
 * until …", the request for review a low rating offers (and the supervisor's decision), and the "is the problem
 * still solved?" question asked some weeks after a "solved" verdict.
 *
 * Every scale is a radio group in a fieldset with a legend, so the form reads the same to a screen reader as it
 * looks; errors sit next to their group and the server's messages (already in the user's language) above the button.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, fieldErrors } from '../../api/client.js';
import type { paths } from '../../api/schema.js';
import { Alert, Button, TextArea } from '../../ui/ui.js';
import { formatDay, isNetworkFailure } from './shared.js';

type Appeal = paths['/api/v1/m/{municipality}/my/appeals/{id}']['get']['responses'][200]['content']['application/json'];
export type Answer = Appeal['answers'][number];
type RatingBody = paths['/api/v1/m/{municipality}/my/appeals/{id}/answers/{answerId}/rating']['put']['requestBody']['content']['application/json'];
type Solved = RatingBody['solved'];

const SCALE = [1, 2, 3, 4, 5] as const;
const SOLVED: Solved[] = ['yes', 'partly', 'no'];
const COMMENT_MAX = 2000;

interface Draft { overall: number | null; solved: Solved | null; clarity: number | null; accuracy: number | null; onTimeFelt: boolean | null; comment: string }
type DraftField = Exclude<keyof Draft, 'comment'>;
const REQUIRED: DraftField[] = ['overall', 'solved', 'clarity', 'accuracy', 'onTimeFelt'];

/**
 * Whether an instant is still ahead, on this device's clock. The server has the last word: a change after its
 * window closed is refused with a message shown beside the form.
 */

export interface AnswerRatingProps {
  city: string;
  appealId: string;
  answer: Answer;
  /** Reloads the appeal after a change (a new rating, a review request, a reopened appeal). */
  onChanged: () => Promise<void>;
}

/** The rating, review and follow-up of one answer. */
export function AnswerRating({ city, appealId, answer, onChanged }: AnswerRatingProps) {
  const { t, i18n } = useTranslation('resident');
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const focusEdit = useRef(false);
  const headingId = `rating-${answer.id}`;
  const rating = answer.rating;

  // After saving, or when a form closes, the keyboard lands on the message or on the button that opened it.
  useEffect(() => { if (notice) noticeRef.current?.focus(); }, [notice]);
  useEffect(() => {
    if (!editing && focusEdit.current) { focusEdit.current = false; editRef.current?.focus(); }
  }, [editing]);

  const saved = async (message: string) => {
    await onChanged();
    setEditing(false);
    setNotice(message);
  };

  return (
    <section className="r-rating" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('rating.heading')}</h4>
      <div ref={noticeRef} tabIndex={-1} className="r-notice-slot">
        {notice ? <Alert kind="success"><p>{notice}</p></Alert> : null}
      </div>
      {!rating || editing ? (
        <RatingForm
          city={city} appealId={appealId} answerId={answer.id} initial={rating ?? null}
          onSaved={(created) => saved(t(created ? 'rating.saved' : 'rating.changed'))}
          onCancel={rating ? () => { focusEdit.current = true; setEditing(false); } : undefined}
        />
      ) : (
        <>
          <RatingSummary rating={rating} />
          {/* Decided on the server's clock: the browser's may differ. */}
          {answer.ratingEditableUntil && answer.ratingEditable ? (
            <div className="r-row">
              <p className="r-muted r-inline">{t('rating.editableUntil', { date: formatDay(answer.ratingEditableUntil, i18n.language, true) })}</p>
              <button type="button" className="btn btn-secondary" ref={editRef} onClick={() => { setNotice(null); setEditing(true); }}>{t('rating.edit')}</button>
            </div>
          ) : null}
        </>
      )}
      {answer.reviewOffered && !answer.review && !editing ? (
        <ReviewRequest city={city} appealId={appealId} answerId={answer.id} onSent={() => saved(t('review.sent'))} />
      ) : null}
      {answer.review ? <ReviewStatus review={answer.review} /> : null}
      {answer.followUp ? (
        <FollowUp city={city} appealId={appealId} answerId={answer.id} followUp={answer.followUp}
          onAnswered={(stillSolved) => saved(t(stillSolved ? 'followUp.thanksYes' : 'followUp.thanksNo'))} />
      ) : null}
    </section>
  );
}

/** The resident's figures, as words: "4 of 5", "Partly", "Yes". */
function RatingSummary({ rating }: { rating: NonNullable<Answer['rating']> }) {
  const { t } = useTranslation('resident');
  const yesNo = (v: boolean) => t(v ? 'rating.yes' : 'rating.no');
  return (
    <dl className="r-rating-summary">
      <dt>{t('rating.overall.legend')}</dt><dd>{t('rating.outOf', { n: rating.overall })}</dd>
      <dt>{t('rating.solved.legend')}</dt><dd>{t(`rating.solved.${rating.solved}`)}</dd>
      <dt>{t('rating.clarity.legend')}</dt><dd>{t('rating.outOf', { n: rating.clarity })}</dd>
      <dt>{t('rating.accuracy.legend')}</dt><dd>{t('rating.outOf', { n: rating.accuracy })}</dd>
      <dt>{t('rating.onTime.legend')}</dt><dd>{yesNo(rating.onTimeFelt)}</dd>
      {rating.comment ? <><dt>{t('rating.comment.summary')}</dt><dd className="r-body-text">{rating.comment}</dd></> : null}
    </dl>
  );
}

function RatingForm({ city, appealId, answerId, initial, onSaved, onCancel }: {
  city: string; appealId: string; answerId: string; initial: Answer['rating'] | null;
  onSaved: (created: boolean) => Promise<void>; onCancel?: (() => void) | undefined;
}) {
  const { t } = useTranslation('resident');
  const formId = useId();
  const [draft, setDraft] = useState<Draft>(() => initial
    ? { overall: initial.overall, solved: initial.solved, clarity: initial.clarity, accuracy: initial.accuracy, onTimeFelt: initial.onTimeFelt, comment: initial.comment ?? '' }
    : { overall: null, solved: null, clarity: null, accuracy: null, onTimeFelt: null, comment: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const focusFirstError = (fields: (keyof Draft)[]) => {
    const first = fields[0];
    if (!first) return;
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"] input, [data-field="${first}"] textarea`)?.focus());
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing = REQUIRED.filter((k) => draft[k] === null);
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((k) => [k, t(`rating.${k === 'onTimeFelt' ? 'onTime' : k}.required`)])));
      setServerError(null);
      focusFirstError(missing);
      return;
    }
    setBusy(true);
    setServerError(null);
    try {
      const comment = draft.comment.trim();
      const { data, error, response } = await api.PUT('/api/v1/m/{municipality}/my/appeals/{id}/answers/{answerId}/rating', {
        params: { path: { municipality: city, id: appealId, answerId } },
        body: {
          overall: draft.overall!, solved: draft.solved!, clarity: draft.clarity!, accuracy: draft.accuracy!, onTimeFelt: draft.onTimeFelt!,
          ...(comment ? { comment } : {}),
        },
      });
      if (data) {
        await onSaved(response.status === 201);
        return;
      }
      const byField = fieldErrors(error);
      const known = (Object.keys(byField) as (keyof Draft)[]).filter((k) => k in draft);
      setErrors(Object.fromEntries(known.map((k) => [k, byField[k]])));
      setServerError(errorMessage(error, t('common:error.generic')));
      focusFirstError(known);
    } catch (err) {
      setServerError(isNetworkFailure(err) ? t('rating.offline') : t('common:error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} className="r-rating-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${formId}-title`}>
      <p id={`${formId}-title`} className="r-lead-small">{t(initial ? 'rating.editTitle' : 'rating.intro')}</p>
      <Scale field="overall" value={draft.overall} error={errors.overall} onChange={(v) => set('overall', v)} />
      <Choice field="solved" legend={t('rating.solved.legend')} error={errors.solved} value={draft.solved}
        options={SOLVED.map((s) => ({ value: s, label: t(`rating.solved.${s}`) }))} onChange={(v) => set('solved', v)} />
      <Scale field="clarity" value={draft.clarity} error={errors.clarity} onChange={(v) => set('clarity', v)} />
      <Scale field="accuracy" value={draft.accuracy} error={errors.accuracy} onChange={(v) => set('accuracy', v)} />
      <Choice field="onTimeFelt" legend={t('rating.onTime.legend')} hint={t('rating.onTime.hint')} error={errors.onTimeFelt}
        value={draft.onTimeFelt === null ? null : draft.onTimeFelt ? 'yes' : 'no'}
        options={[{ value: 'yes', label: t('rating.yes') }, { value: 'no', label: t('rating.no') }]}
        onChange={(v) => set('onTimeFelt', v === 'yes')} />
      <div data-field="comment">
        <TextArea label={t('rating.comment.label')} hint={t('rating.comment.hint', { max: COMMENT_MAX })} rows={3} maxLength={COMMENT_MAX}
          value={draft.comment} error={errors.comment} onChange={(e) => set('comment', e.target.value)} />
      </div>
      {serverError ? <Alert kind="error"><p>{serverError}</p></Alert> : null}
      <div className="r-row">
        <Button type="submit" disabled={busy}>{busy ? t('rating.sending') : t(initial ? 'rating.saveChanges' : 'rating.submit')}</Button>
        {onCancel ? <Button variant="secondary" onClick={onCancel} disabled={busy}>{t('common:cancel')}</Button> : null}
      </div>
    </form>
  );
}

/** A 1–5 scale: a radio group whose legend names it and whose hint says which end is which. */
function Scale({ field, value, error, onChange }: { field: 'overall' | 'clarity' | 'accuracy'; value: number | null; error?: string | undefined; onChange: (v: number) => void }) {
  const { t } = useTranslation('resident');
  return (
    <Choice field={field} legend={t(`rating.${field}.legend`)} hint={t(`rating.${field}.hint`)} error={error} scale
      value={value === null ? null : String(value)} options={SCALE.map((n) => ({ value: String(n), label: String(n) }))}
      onChange={(v) => onChange(Number(v))} />
  );
}

/** A group of radio buttons in a fieldset; its error is announced and tied to the group. */
function Choice<V extends string>({ field, legend, hint, error, value, options, onChange, scale }: {
  field: string; legend: string; hint?: string | undefined; error?: string | undefined; value: V | null;
  options: { value: V; label: string }[]; onChange: (v: V) => void; scale?: boolean;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={`r-scale${scale ? ' r-scale-numbers' : ''}${error ? ' fieldset-error' : ''}`} data-field={field} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint ? <p id={`${id}-hint`} className="hint">{hint}</p> : null}
      <div className="r-scale-options">
        {options.map((o) => (
          <label key={o.value} className="r-scale-option">
            <input type="radio" name={`${id}-${field}`} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)}
              {...(error ? { 'aria-invalid': true } : {})} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error ? <p id={`${id}-error`} className="error-text" role="alert">{error}</p> : null}
    </fieldset>
  );
}

/** "Request review": a low rating (≤ 2) or "not solved" may ask a supervisor to look at the answer again. */
function ReviewRequest({ city, appealId, answerId, onSent }: { city: string; appealId: string; answerId: string; onSent: () => Promise<void> }) {
  const { t } = useTranslation('resident');
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const openRef = useRef<HTMLButtonElement>(null);
  const textRef = useRef<HTMLDivElement>(null);

  useEffect(() => { if (open) textRef.current?.querySelector('textarea')?.focus(); }, [open]);

  async function send(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const text = reason.trim();
      const { data, error: err } = await api.POST('/api/v1/m/{municipality}/my/appeals/{id}/answers/{answerId}/review-request', {
        params: { path: { municipality: city, id: appealId, answerId } },
        body: text ? { reason: text } : {},
      });
      if (data) await onSent();
      else setError(errorMessage(err, t('common:error.generic')));
    } catch (err) {
      setError(isNetworkFailure(err) ? t('rating.offline') : t('common:error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="r-review" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('review.heading')}</h4>
      <p>{t('review.offer')}</p>
      {open ? (
        <form onSubmit={(e) => void send(e)} noValidate>
          <div ref={textRef}>
            <TextArea label={t('review.reason.label')} hint={t('review.reason.hint')} rows={3} maxLength={COMMENT_MAX}
              value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          {error ? <Alert kind="error"><p>{error}</p></Alert> : null}
          <div className="r-row">
            <Button type="submit" disabled={busy}>{busy ? t('rating.sending') : t('review.send')}</Button>
            <Button variant="secondary" disabled={busy} onClick={() => { setOpen(false); setError(null); requestAnimationFrame(() => openRef.current?.focus()); }}>{t('common:cancel')}</Button>
          </div>
        </form>
      ) : (
        <button type="button" className="btn btn-secondary" ref={openRef} onClick={() => setOpen(true)}>{t('review.request')}</button>
      )}
    </section>
  );
}

/** Where the request for review stands and, once decided, what the supervisor decided and why. */
function ReviewStatus({ review }: { review: NonNullable<Answer['review']> }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const headingId = useId();
  let body: ReactNode;
  if (review.status === 'pending') {
    body = <p>{t('review.pending', { date: formatDay(review.createdAt, lang, true) })}</p>;
  } else {
    const decidedOn = review.decidedAt ? formatDay(review.decidedAt, lang, true) : '';
    body = (
      <>
        <p><strong>{t(review.status === 'reopened' ? 'review.reopened' : 'review.closureConfirmed', { date: decidedOn })}</strong></p>
        {review.decisionReason ? <p>{t('review.decisionReason')} <span className="r-body-text">{review.decisionReason}</span></p> : null}
      </>
    );
  }
  return (
    <section className="r-review" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('review.statusHeading')}</h4>
      <p className="r-muted">{t('review.requestedOn', { date: formatDay(review.createdAt, lang, true) })}</p>
      {review.reason ? <p>{t('review.yourReason')} <span className="r-body-text">{review.reason}</span></p> : null}
      {body}
    </section>
  );
}

/** "Is the problem still solved?" — asked some weeks after a "solved" verdict; "no" reopens the appeal. */
function FollowUp({ city, appealId, answerId, followUp, onAnswered }: {
  city: string; appealId: string; answerId: string; followUp: NonNullable<Answer['followUp']>; onAnswered: (stillSolved: boolean) => Promise<void>;
}) {
  const { t, i18n } = useTranslation('resident');
  const headingId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (followUp.answeredAt) {
    return (
      <section className="r-review" aria-labelledby={headingId}>
        <h4 id={headingId}>{t('followUp.heading')}</h4>
        <p>{t(followUp.stillSolved ? 'followUp.answeredYes' : 'followUp.answeredNo', { date: formatDay(followUp.answeredAt, i18n.language, true) })}</p>
      </section>
    );
  }

  async function answer(stillSolved: boolean) {
    setBusy(true);
    setError(null);
    try {
      const { data, error: err } = await api.POST('/api/v1/m/{municipality}/my/appeals/{id}/answers/{answerId}/follow-up', {
        params: { path: { municipality: city, id: appealId, answerId } },
        body: { stillSolved },
      });
      if (data) await onAnswered(stillSolved);
      else setError(errorMessage(err, t('common:error.generic')));
    } catch (err) {
      setError(isNetworkFailure(err) ? t('rating.offline') : t('common:error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="r-review r-follow-up" aria-labelledby={headingId}>
      <h4 id={headingId}>{t('followUp.question')}</h4>
      <p>{t('followUp.text', { date: formatDay(followUp.askedAt, i18n.language) })}</p>
      <div className="r-row" role="group" aria-labelledby={headingId}>
        <Button disabled={busy} onClick={() => void answer(true)}>{t('followUp.yes')}</Button>
        <Button variant="secondary" disabled={busy} onClick={() => void answer(false)}>{t('followUp.no')}</Button>
      </div>
      {error ? <Alert kind="error"><p>{error}</p></Alert> : null}
    </section>
  );
}
