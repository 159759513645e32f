/**
 * The front page: what a resident can do here, the choice of city (remembered), and the way in — sign in, file an
 * appeal, follow one's appeals.
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { loadCities, pickName, rememberCity, rememberedCity, type City } from '../../app/cities.js';
import { useSession } from '../../app/session.js';
import { Alert, Button, Loading, PageTitle } from '../../ui/ui.js';
import { ResidentLayout } from './shared.js';

export function HomePage() {
  const { t, i18n } = useTranslation('resident');
  const [reloaded, setReloaded] = useState(0);
  const cities = useCitiesWithRetry(reloaded);
  const { me } = useSession();
  const [city, setCity] = useState(rememberedCity);
  const lang = i18n.language;
  const known = cities?.find((c) => c.slug === city) ?? cities?.[0];
  const slug = known?.slug ?? city;
  const cityName = known ? pickName(known.name, lang) : '';

  const choose = (next: string) => { setCity(next); rememberCity(next); };

  return (
    <ResidentLayout city={slug}>
      <PageTitle title={t('home.title')}>{t('home.title')}</PageTitle>
      <p className="r-lead">{t('home.lead')}</p>
      <ol className="r-steps">
        <li><strong>{t('home.step1.title')}</strong> {t('home.step1.text')}</li>
        <li><strong>{t('home.step2.title')}</strong> {t('home.step2.text')}</li>
        <li><strong>{t('home.step3.title')}</strong> {t('home.step3.text')}</li>
      </ol>

      <section aria-labelledby="home-city">
        <h2 id="home-city">{t('home.city.heading')}</h2>
        {cities === null ? <Loading label={t('common:loading')} /> : cities.length === 0 ? (
          <Alert kind="error">
            <p>{t('home.city.failed')}</p>
            <Button variant="secondary" onClick={() => setReloaded((n) => n + 1)}>{t('tryAgain')}</Button>
          </Alert>
        ) : (
          <fieldset className="r-choices r-cities">
            <legend>{t('home.city.legend')}</legend>
            {cities.map((c) => (
              <label key={c.slug} className="r-choice">
                <input type="radio" name="city" value={c.slug} checked={slug === c.slug} onChange={() => choose(c.slug)} />
                <span>{pickName(c.name, lang)}</span>
              </label>
            ))}
          </fieldset>
        )}
      </section>

      {known ? (
        <section aria-labelledby="home-actions">
          <h2 id="home-actions">{t('home.actions.heading', { city: cityName })}</h2>
          <ul className="r-actions">
            <li>
              <Link className="r-action r-action-primary" to={`/${slug}/appeals/new`}>{t('home.actions.new')}</Link>
              <span className="hint">{t('home.actions.newHint')}</span>
            </li>
            <li>
              <Link className="r-action" to={`/${slug}/my`}>{t('home.actions.my')}</Link>
              <span className="hint">{t('home.actions.myHint')}</span>
            </li>
          </ul>
        </section>
      ) : null}

      {known ? (
        <section aria-labelledby="home-scorecards" className="card r-card">
          <h2 id="home-scorecards">{t('home.scorecards.heading')}</h2>
          <p>{t('home.scorecards.text')}</p>
          <p><Link to={`/${slug}/scorecards`}>{t('home.scorecards.link', { city: cityName })}</Link></p>
          <p><Link to={`/${slug}/dashboard`}>{t('home.scorecards.dashboardLink', { city: cityName })}</Link></p>
        </section>
      ) : null}

      <section aria-labelledby="home-signin" className="card r-card">
        <h2 id="home-signin">{t('home.signin.heading')}</h2>
        {me?.kind === 'citizen' ? (
          <p>{t('home.signin.signedIn', { who: me.fullName || me.email || me.phone || '' })}</p>
        ) : (
          <>
            <p>{t('home.signin.text')}</p>
            <p><Link to={`/signin?next=${encodeURIComponent(`/${slug}/my`)}`}>{t('home.signin.link')}</Link></p>
          </>
        )}
      </section>

      <section aria-labelledby="home-law">
        <h2 id="home-law">{t('home.law.heading')}</h2>
        <p>{t('home.law.text')}</p>
      </section>
    </ResidentLayout>
  );
}

/** The list of cities; a new `attempt` asks again after a failure (loadCities forgets failures). */
function useCitiesWithRetry(attempt: number): City[] | null {
  const [cities, setCities] = useState<City[] | null>(null);
  useEffect(() => {
    let live = true;
    setCities(null);
    void loadCities().then((items) => { if (live) setCities(items); });
    return () => { live = false; };
  }, [attempt]);
  return cities;
}
