/**
 * /:city/land/meetings and /:city/land/meetings/:id — the land commission's meetings: upcoming and past, each with
 * its agenda, the decisions with reasons and votes, and the minutes once published. No person is named.
 */
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { PageTitle } from '../../ui/ui.js';
import { DecisionText, LandLayout, Loaded, useFormat, useLoaded, type Meeting, type Meetings } from './shared.js';

type Summary = Meetings['upcoming'][number];

export function MeetingsPage() {
  const { t } = useTranslation('land');
  const { city = '' } = useParams();
  const loaded = useLoaded<Meetings>(city, () => api.GET('/api/v1/m/{municipality}/land/meetings', { params: { path: { municipality: city } } }));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land`}>{t('back')}</Link></p>
      <PageTitle title={t('meetings.title')}>{t('meetings.title')}</PageTitle>
      <p className="r-lead">{t('meetings.lead')}</p>
      <Loaded loaded={loaded}>{(data) => (
        <>
          <section aria-labelledby="mt-up"><h2 id="mt-up">{t('meetings.upcoming')}</h2><MeetingList city={city} items={data.upcoming} /></section>
          <section aria-labelledby="mt-past"><h2 id="mt-past">{t('meetings.past')}</h2><MeetingList city={city} items={data.past} /></section>
        </>
      )}</Loaded>
    </LandLayout>
  );
}

function MeetingList({ city, items }: { city: string; items: Summary[] }) {
  const { t } = useTranslation('land');
  const { time } = useFormat();
  if (!items.length) return <p>{t('meetings.none')}</p>;
  return (
    <ul className="land-plain">{items.map((m) => (
      <li key={m.id}>
        <Link to={`/${city}/land/meetings/${m.id}`}>{m.title}</Link> — {time(m.startsAt)}{m.place ? `, ${m.place}` : ''}
        <br /><span className="hint">{t(`meetingStatus.${m.status}`)} · {t('meetings.items', { count: m.itemCount })}{m.minutesPublished ? ` · ${t('meetings.minutesPublished')}` : ''}</span>
      </li>
    ))}</ul>
  );
}

export function MeetingPage() {
  const { t } = useTranslation('land');
  const { city = '', id = '' } = useParams();
  const { time, day } = useFormat();
  const loaded = useLoaded<Meeting>(`${city}|${id}`, () => api.GET('/api/v1/m/{municipality}/land/meetings/{id}', { params: { path: { municipality: city, id } } }));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land/meetings`}>{t('meetings.back')}</Link></p>
      {loaded.result.state !== 'ok' ? <PageTitle title={t('meetings.one')}>{t('meetings.one')}</PageTitle> : null}
      <Loaded loaded={loaded}>{(m) => (
        <>
          <PageTitle title={m.title}>{m.title}</PageTitle>
          <p>{time(m.startsAt)}{m.place ? `, ${m.place}` : ''} — {t(`meetingStatus.${m.status}`)}</p>
          <section aria-labelledby="mt-agenda">
            <h2 id="mt-agenda">{t('meetings.agenda')}</h2>
            {m.items.length ? <ol className="land-agenda">{m.items.map((i) => (
              <li key={i.id}>
                <h3 className="land-card-title">
                  {i.subject.type === 'proposal'
                    ? <Link to={`/${city}/land/proposals/${i.subject.id}`}>{i.subject.title ?? t('meetings.proposal')}</Link>
                    : <Link to={`/${city}/land/announcements/${i.subject.id}`}>{i.subject.title ?? t('meetings.announcement')}</Link>}
                </h3>
                <p className="hint">{t(`meetings.subject.${i.subject.type}`)}{i.subject.plot ? <> · <Link to={`/${city}/land/plots/${i.subject.plot.id}`}>{i.subject.plot.cadastralNumber}</Link>{i.subject.plot.address ? `, ${i.subject.plot.address}` : ''}</> : null}</p>
                <DecisionText item={i} city={city} />
              </li>
            ))}</ol> : <p>{t('meetings.noItems')}</p>}
          </section>
          <section aria-labelledby="mt-minutes">
            <h2 id="mt-minutes">{t('meetings.minutes')}</h2>
            {m.minutes && m.minutesPublishedAt
              ? <><p className="hint">{t('meetings.minutesOn', { date: day(m.minutesPublishedAt) })}</p><div className="land-text">{m.minutes.split(/\n{2,}/).map((p, k) => <p key={k}>{p}</p>)}</div></>
              : <p>{t('meetings.noMinutes')}</p>}
          </section>
        </>
      )}</Loaded>
    </LandLayout>
  );
}
