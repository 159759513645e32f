/**
 * An agenda item as staff see it: what it is about (a proposal or an announcement, its plot, how it came before the
 * commission), its decision with reasons and the vote, or the decision form (approved / rejected / postponed,
 * reasons required, votes for, against, abstained).
 */
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, TextArea, TextInput } from '../../../ui/ui.js';
import { asFailure, send, useFormat, type AgendaItem } from './shared.js';

const DECISIONS = ['approved', 'rejected', 'postponed'] as const;
const ADDED_BY = ['threshold', 'comment_period', 'staff'];

export function ItemSubject({ city, item }: { city: string; item: AgendaItem }) {
  const { t } = useTranslation('landStaff');
  const s = item.subject;
  const path = s.type === 'proposal' ? 'proposals' : 'announcements';
  return (
    <span className="ls-subject">
      {t(`subjectType.${s.type}`)}: <Link to={`/${city}/land/${path}/${s.id}`}>{s.title ?? t('commission.untitled')}</Link>
      {s.plot ? <> — {t('commission.plot')} <Link to={`/staff/${city}/land/plots/${s.plot.id}`}>{s.plot.cadastralNumber}</Link></> : null}
      {' '}<span className="hint">({ADDED_BY.includes(item.addedBy) ? t(`addedBy.${item.addedBy}`) : item.addedBy})</span>
    </span>
  );
}

export function DecisionView({ item }: { item: AgendaItem }) {
  const { t } = useTranslation('landStaff');
  const { day, num } = useFormat();
  if (!item.decision) return null;
  return (
    <div className="ls-decision">
      <p><strong>{t(`decision.${item.decision}`)}</strong>{item.decidedAt ? ` — ${day(item.decidedAt)}` : ''}</p>
      {item.votes ? <p>{t('decision.votesLine', { for: num(item.votes.for), against: num(item.votes.against), abstained: num(item.votes.abstained) })}</p> : null}
      {item.reasons ? <p className="ls-quote">{item.reasons}</p> : null}
    </div>
  );
}

export function DecisionForm({ city, item, onDecided }: { city: string; item: AgendaItem; onDecided: () => void }) {
  const { t } = useTranslation('landStaff');
  const legendId = useId();
  const [decision, setDecision] = useState<string>('');
  const [reasons, setReasons] = useState('');
  const [votes, setVotes] = useState({ for: '', against: '', abstained: '' });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | undefined>();
  const count = (v: string) => (v.trim() === '' ? 0 : Number(v));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const f: Record<string, string> = {};
    if (!decision) f.decision = t('decision.choose');
    if (reasons.trim().length < 10) f.reasons = t('decision.reasonsRequired');
    for (const k of ['for', 'against', 'abstained'] as const) {
      const n = count(votes[k]);
      if (!Number.isInteger(n) || n < 0 || n > 1000) f[k] = t('decision.votesInvalid');
    }
    setFields(f);
    if (Object.keys(f).length) { setError(t('decision.fix')); return; }
    try {
      await send(api.POST('/api/v1/m/{municipality}/admin/land/agenda/{id}/decision', {
        params: { path: { municipality: city, id: item.id } },
        body: { decision: decision as never, reasons: reasons.trim(), votesFor: count(votes.for), votesAgainst: count(votes.against), votesAbstained: count(votes.abstained) },
      }));
      onDecided();
    } catch (err) {
      const x = asFailure(err);
      setFields({ ...x.fields, ...(x.fields.votesFor ? { for: x.fields.votesFor } : {}) });
      setError(x.message);
    }
  }

  return (
    <form onSubmit={submit} noValidate className="ls-decision-form" aria-label={t('decision.formLabel')}>
      <fieldset className="ls-radios" aria-describedby={fields.decision ? `${legendId}-e` : undefined}>
        <legend id={legendId}>{t('decision.label')} <span aria-hidden="true">*</span></legend>
        {DECISIONS.map((d) => (
          <label key={d}><input type="radio" name={`decision-${item.id}`} value={d} checked={decision === d} onChange={() => setDecision(d)} /> {t(`decision.${d}`)}</label>
        ))}
        {fields.decision ? <p id={`${legendId}-e`} className="error-text" role="alert">{fields.decision}</p> : null}
      </fieldset>
      <TextArea label={t('decision.reasons')} hint={t('decision.reasonsHint')} required rows={4} value={reasons} onChange={(e) => setReasons(e.target.value)} error={fields.reasons} />
      <fieldset className="ls-votes">
        <legend>{t('decision.votes')}</legend>
        <TextInput label={t('decision.for')} type="number" min={0} inputMode="numeric" value={votes.for} onChange={(e) => setVotes({ ...votes, for: e.target.value })} error={fields.for} />
        <TextInput label={t('decision.against')} type="number" min={0} inputMode="numeric" value={votes.against} onChange={(e) => setVotes({ ...votes, against: e.target.value })} error={fields.against} />
        <TextInput label={t('decision.abstained')} type="number" min={0} inputMode="numeric" value={votes.abstained} onChange={(e) => setVotes({ ...votes, abstained: e.target.value })} error={fields.abstained} />
      </fieldset>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Button type="submit">{t('decision.record')}</Button>
    </form>
  );
}
