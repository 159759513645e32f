/**
 * /:city/land/hearings/:id — a public hearing: place and time, places left, register or cancel (signed-in
 * residents, before it starts), and the summary of the positions heard once held.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, PageTitle } from '../../ui/ui.js';
import { LandLayout, Loaded, SignInLink, useFormat, useLoaded, type Hearing } from './shared.js';

export function HearingPage() {
  const { t } = useTranslation('land');
  const { city = '', id = '' } = useParams();
  const [version, setVersion] = useState(0);
  const loaded = useLoaded<Hearing>(`${city}|${id}|${version}`, () => api.GET('/api/v1/m/{municipality}/land/hearings/{id}', { params: { path: { municipality: city, id } } }));
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land`}>{t('back')}</Link></p>
      {loaded.result.state !== 'ok' ? <PageTitle title={t('hearing.title')}>{t('hearing.title')}</PageTitle> : null}
      <Loaded loaded={loaded}>{(h) => <HearingView city={city} h={h} onChange={() => setVersion((v) => v + 1)} />}</Loaded>
    </LandLayout>
  );
}

function HearingView({ city, h, onChange }: { city: string; h: Hearing; onChange: () => void }) {
  const { t } = useTranslation('land');
  const { time, num } = useFormat();
  const { me } = useSession();
  const [error, setError] = useState<string | null>(null);
  const full = h.capacity !== null && h.registeredCount >= h.capacity;
  const act = async (cancel: boolean) => {
    setError(null);
    const opts = { params: { path: { municipality: city, id: h.id } } };
    const { error: err } = cancel
      ? await api.DELETE('/api/v1/m/{municipality}/land/hearings/{id}/registration', opts)
      : await api.POST('/api/v1/m/{municipality}/land/hearings/{id}/registration', opts);
    if (err) { setError(errorMessage(err, t('common:error.generic'))); return; }
    onChange();
  };
  return (
    <>
      <PageTitle title={h.title}>{h.title}</PageTitle>
      <dl className="land-dl">
        <dt>{t('hearing.when')}</dt><dd>{time(h.startsAt)}</dd>
        <dt>{t('hearing.place')}</dt><dd>{h.place}</dd>
        <dt>{t('hearing.status')}</dt><dd>{t(`hearingStatus.${h.status}`)}</dd>
        <dt>{t('hearing.registered')}</dt>
        <dd>{h.capacity !== null ? t('hearing.registeredOf', { n: num(h.registeredCount), capacity: num(h.capacity) }) : num(h.registeredCount)}</dd>
        {h.plotId ? <><dt>{t('hearing.plot')}</dt><dd><Link to={`/${city}/land/plots/${h.plotId}`}>{t('hearing.openPlot')}</Link></dd></> : null}
        {h.announcementId ? <><dt>{t('hearing.announcement')}</dt><dd><Link to={`/${city}/land/announcements/${h.announcementId}`}>{t('hearing.openAnnouncement')}</Link></dd></> : null}
      </dl>
      {h.registrationOpen ? (
        <section aria-labelledby="hr-reg" className="card r-card">
          <h2 id="hr-reg">{t('hearing.registration')}</h2>
          {!me ? <p><SignInLink>{t('hearing.signIn')}</SignInLink></p>
            : me.kind !== 'citizen' ? null
              : h.registeredByMe
                ? <><p role="status"><strong>{t('hearing.youAreRegistered')}</strong></p><Button variant="secondary" onClick={() => void act(true)}>{t('hearing.unregister')}</Button></>
                : full ? <p>{t('hearing.full')}</p> : <Button onClick={() => void act(false)}>{t('hearing.register')}</Button>}
          {error ? <Alert kind="error">{error}</Alert> : null}
        </section>
      ) : null}
      {h.status === 'held' ? (
        <section aria-labelledby="hr-sum">
          <h2 id="hr-sum">{t('hearing.summary')}</h2>
          {h.attendedCount !== null ? <p>{t('hearing.attended', { n: num(h.attendedCount) })}</p> : null}
          {h.summary ? <div className="land-text">{h.summary.split(/\n{2,}/).map((p, k) => <p key={k}>{p}</p>)}</div> : <p>{t('hearing.noSummary')}</p>}
        </section>
      ) : null}
    </>
  );
}
