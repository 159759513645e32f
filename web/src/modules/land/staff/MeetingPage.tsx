/**
 * /staff/:city/land/commission/meetings/:id — a meeting: its agenda, each item decided with its reasons and the vote
 * (or its decision form); the waiting items, each added to this agenda with one button; the minutes (saved as a
 * draft, then published); marking it held or cancelled.
 */
import { useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { Alert, Button, PageTitle, TextArea } from '../../../ui/ui.js';
import { asFailure, can, LandTabs, Loaded, NotAllowed, send, useCity, useData, useFormat, useRoles, type AgendaItem, type Meeting } from './shared.js';
import { DecisionForm, DecisionView, ItemSubject } from './AgendaItemView.js';

export function MeetingPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const { id = '' } = useParams();
  const roles = useRoles();
  const meeting = useData<Meeting>(`${city}|${id}`, () => send(api.GET('/api/v1/m/{municipality}/admin/land/meetings/{id}', { params: { path: { municipality: city, id } } })));
  const waiting = useData<{ items: AgendaItem[] }>(`${city}|${id}|waiting`, () => send(api.GET('/api/v1/m/{municipality}/admin/land/agenda/waiting', { params: { path: { municipality: city } } })));
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  if (!can(roles, 'commission')) return <><PageTitle title={t('meeting.pageTitle')}>{t('meeting.pageTitle')}</PageTitle><LandTabs /><NotAllowed /></>;

  const reload = (text?: string) => { if (text) setMessage({ kind: 'success', text }); meeting.reload(); waiting.reload(); };
  const fail = (err: unknown) => setMessage({ kind: 'error', text: asFailure(err).message });

  return (
    <>
      <LandTabs />
      <p><Link to={`/staff/${city}/land/commission`}>{t('meeting.back')}</Link></p>
      <Loaded data={meeting}>{(m) => (
        <>
          <PageTitle title={m.title}>{m.title}</PageTitle>
          <MeetingFacts m={m} />
          {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
          <section aria-labelledby="lm-agenda" className="card">
            <h2 id="lm-agenda">{t('meeting.agenda')}</h2>
            {m.items.length === 0 ? <p>{t('meeting.emptyAgenda')}</p> : (
              <ol className="ls-agenda">{m.items.map((i) => (
                <li key={i.id} className="ls-item">
                  <h3 className="queue-title"><ItemSubject city={city} item={i} /></h3>
                  {i.decision ? <DecisionView item={i} /> : m.status === 'cancelled' ? null : (
                    <>
                      <DecisionForm city={city} item={i} onDecided={() => reload(t('decision.recorded'))} />
                      {m.status === 'planned' ? (
                        <p><Button variant="link" onClick={() => void send(api.DELETE('/api/v1/m/{municipality}/admin/land/meetings/{id}/items/{itemId}', {
                          params: { path: { municipality: city, id: m.id, itemId: i.id } } })).then(() => reload(t('meeting.removed')), fail)}>{t('meeting.remove')}</Button></p>
                      ) : null}
                    </>
                  )}
                </li>
              ))}</ol>
            )}
          </section>
          {m.status === 'planned' ? (
            <section aria-labelledby="lm-waiting" className="card">
              <h2 id="lm-waiting">{t('meeting.waiting')}</h2>
              <Loaded data={waiting}>{(w) => w.items.length === 0 ? <p>{t('commission.noneWaiting')}</p> : (
                <ul className="ls-waiting">{w.items.map((i) => (
                  <li key={i.id} className="ls-item">
                    <ItemSubject city={city} item={i} />{' '}
                    <Button variant="secondary" onClick={() => void send(api.POST('/api/v1/m/{municipality}/admin/land/meetings/{id}/items', {
                      params: { path: { municipality: city, id: m.id } }, body: { itemId: i.id } })).then(() => reload(t('meeting.added')), fail)}
                    aria-label={t('meeting.addItemTo', { title: i.subject.title ?? '' })}>{t('meeting.add')}</Button>
                  </li>
                ))}</ul>
              )}</Loaded>
            </section>
          ) : null}
          <Minutes city={city} m={m} onSaved={reload} onFailed={fail} />
          <StatusActions city={city} m={m} onSaved={reload} onFailed={fail} />
        </>
      )}</Loaded>
    </>
  );
}

function MeetingFacts({ m }: { m: Meeting }) {
  const { t } = useTranslation('landStaff');
  const { time } = useFormat();
  return (
    <dl className="ls-dl">
      <dt>{t('meeting.startsAt')}</dt><dd>{time(m.startsAt)}</dd>
      <dt>{t('meeting.place')}</dt><dd>{m.place ?? '—'}</dd>
      <dt>{t('meeting.status')}</dt><dd>{t(`meetingStatus.${m.status}`)}</dd>
      <dt>{t('meeting.minutes')}</dt><dd>{m.minutesPublishedAt ? t('meeting.publishedAt', { time: time(m.minutesPublishedAt) }) : t('meeting.notPublished')}</dd>
    </dl>
  );
}

function Minutes({ city, m, onSaved, onFailed }: { city: string; m: Meeting; onSaved: (text: string) => void; onFailed: (err: unknown) => void }) {
  const { t } = useTranslation('landStaff');
  const headingId = useId();
  const [text, setText] = useState(m.minutes ?? '');
  useEffect(() => setText(m.minutes ?? ''), [m.minutes]);
  const save = () => send(api.PATCH('/api/v1/m/{municipality}/admin/land/meetings/{id}', { params: { path: { municipality: city, id: m.id } }, body: { minutes: text.trim() || null } }));
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>{t('meeting.minutes')}</h2>
      <TextArea label={t('meeting.minutesText')} hint={t('meeting.minutesHint')} rows={8} value={text} onChange={(e) => setText(e.target.value)} />
      <p className="row-actions">
        <Button variant="secondary" onClick={() => void save().then(() => onSaved(t('meeting.minutesSaved')), onFailed)}>{t('meeting.saveMinutes')}</Button>
        {!m.minutesPublishedAt ? (
          <Button disabled={!text.trim()} onClick={() => void save()
            .then(() => send(api.POST('/api/v1/m/{municipality}/admin/land/meetings/{id}/minutes/publish', { params: { path: { municipality: city, id: m.id } } })))
            .then(() => onSaved(t('meeting.minutesPublishedNow')), onFailed)}>{t('meeting.publishMinutes')}</Button>
        ) : null}
      </p>
    </section>
  );
}

function StatusActions({ city, m, onSaved, onFailed }: { city: string; m: Meeting; onSaved: (text: string) => void; onFailed: (err: unknown) => void }) {
  const { t } = useTranslation('landStaff');
  if (m.status !== 'planned') return null;
  const set = (status: 'held' | 'cancelled') => void send(api.PATCH('/api/v1/m/{municipality}/admin/land/meetings/{id}', { params: { path: { municipality: city, id: m.id } }, body: { status } }))
    .then(() => onSaved(t(`meeting.marked.${status}`)), onFailed);
  return (
    <p className="row-actions">
      <Button variant="secondary" onClick={() => set('held')}>{t('meeting.markHeld')}</Button>
      <Button variant="danger" onClick={() => set('cancelled')}>{t('meeting.cancel')}</Button>
    </p>
  );
}
