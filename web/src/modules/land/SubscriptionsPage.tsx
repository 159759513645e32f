/**
 * /:city/land/subscriptions — "My area": watch a district, or a circle around a point (picked on the map, typed as
 * coordinates, or "around this plot"); new announcements and hearings there are sent to the resident. List and delete.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, fieldErrors } from '../../api/client.js';
import { Alert, Button, PageTitle, Select, TextInput } from '../../ui/ui.js';
import { nameIn, RequireCitizen, useDirectory } from '../resident/shared.js';
import { LandLayout, LazyMap, Loaded, useFormat, useLoaded, type PlotList, type Subscriptions, fetchPlots, errorsByField } from './shared.js';

const FALLBACK_CENTRE = { lat: 42.8746, lon: 74.6122 };

export function SubscriptionsPage() {
  const { t } = useTranslation('land');
  const { city = '' } = useParams();
  return (
    <LandLayout city={city}>
      <p><Link to={`/${city}/land`}>{t('back')}</Link></p>
      <PageTitle title={t('subs.title')}>{t('subs.title')}</PageTitle>
      <p className="r-lead">{t('subs.lead')}</p>
      <RequireCitizen>{() => <MyAreas city={city} />}</RequireCitizen>
    </LandLayout>
  );
}

function MyAreas({ city }: { city: string }) {
  const { t, i18n } = useTranslation('land');
  const { num } = useFormat();
  const [version, setVersion] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const loaded = useLoaded<Subscriptions>(`${city}|${version}`, () => api.GET('/api/v1/m/{municipality}/land/subscriptions', { params: { path: { municipality: city } } }));
  const { result: dir } = useDirectory(city);
  const districts = dir.state === 'ok' ? dir.data.districts : [];
  const remove = async (id: string) => {
    const { error } = await api.DELETE('/api/v1/m/{municipality}/land/subscriptions/{id}', { params: { path: { municipality: city, id } } });
    setMessage(error ? errorMessage(error, t('common:error.generic')) : t('subs.deleted'));
    setVersion((v) => v + 1);
  };
  return (
    <>
      {message ? <Alert kind="info">{message}</Alert> : null}
      <section aria-labelledby="sub-list">
        <h2 id="sub-list">{t('subs.mine')}</h2>
        <Loaded loaded={loaded}>{(data) => data.items.length ? (
          <ul className="land-plain">{data.items.map((s) => {
            const what = s.districtId
              ? t('subs.district', { name: nameIn(districts.find((d) => d.id === s.districtId)?.name, i18n.language) })
              : t('subs.circle', { label: s.label ?? '', radius: num(s.radiusM ?? 0), lat: s.lat?.toFixed(5), lon: s.lon?.toFixed(5) });
            return (
              <li key={s.id}>
                {what}{' '}
                <Button variant="link" aria-label={t('subs.deleteOne', { what })} onClick={() => void remove(s.id)}>{t('subs.delete')}</Button>
              </li>
            );
          })}</ul>
        ) : <p>{t('subs.none')}</p>}</Loaded>
      </section>
      <DistrictForm city={city} districts={districts} onDone={() => { setMessage(t('subs.added')); setVersion((v) => v + 1); }} />
      <CircleForm city={city} center={(dir.state === 'ok' && dir.data.center) || FALLBACK_CENTRE} onDone={() => { setMessage(t('subs.added')); setVersion((v) => v + 1); }} />
    </>
  );
}

type District = { id: string; name: { ky: string; ru: string; en: string } };

function DistrictForm({ city, districts, onDone }: { city: string; districts: District[]; onDone: () => void }) {
  const { t, i18n } = useTranslation('land');
  const [districtId, setDistrictId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!districtId) { setError(t('subs.errors.district')); return; }
    const { error: err } = await api.POST('/api/v1/m/{municipality}/land/subscriptions', { params: { path: { municipality: city } }, body: { districtId } });
    if (err) { setError(fieldErrors(err).districtId ?? errorMessage(err, t('common:error.generic'))); return; }
    setError(undefined);
    setDistrictId('');
    onDone();
  };
  return (
    <section aria-labelledby="sub-district" className="card r-card">
      <h2 id="sub-district">{t('subs.byDistrict')}</h2>
      <form onSubmit={(e) => void submit(e)}>
        <Select label={t('subs.districtField')} value={districtId} onChange={(e) => setDistrictId(e.target.value)} error={error} required>
          <option value="">{t('form.choose')}</option>
          {districts.map((d) => <option key={d.id} value={d.id}>{nameIn(d.name, i18n.language)}</option>)}
        </Select>
        <Button type="submit">{t('subs.watchDistrict')}</Button>
      </form>
    </section>
  );
}

function CircleForm({ city, center, onDone }: { city: string; center: { lat: number; lon: number }; onDone: () => void }) {
  const { t } = useTranslation('land');
  const plots = useLoaded<PlotList>(city, () => fetchPlots(city, { limit: 200 }));
  const [label, setLabel] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [radius, setRadius] = useState('500');
  const [near, setNear] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const point = lat && lon && Number.isFinite(Number(lat)) && Number.isFinite(Number(lon)) ? { lat: Number(lat), lon: Number(lon) } : null;
  const noPlots = useMemo(() => [], []);
  const setPoint = (a: number, b: number) => { setLat(a.toFixed(6)); setLon(b.toFixed(6)); };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = {};
    if (!label.trim()) local.label = t('subs.errors.label');
    if (!point) local.lat = t('subs.errors.point');
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) return;
    const { error } = await api.POST('/api/v1/m/{municipality}/land/subscriptions', {
      params: { path: { municipality: city } }, body: { label: label.trim(), lat: point!.lat, lon: point!.lon, radiusM: Math.round(Number(radius)) },
    });
    if (error) { setErrors(errorsByField(error, t('common:error.generic'))); setFailure(errorMessage(error, t('common:error.generic'))); return; }
    setLabel(''); setLat(''); setLon('');
    onDone();
  };
  return (
    <section aria-labelledby="sub-circle" className="card r-card">
      <h2 id="sub-circle">{t('subs.byCircle')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        {failure ? <Alert kind="error">{failure}</Alert> : null}
        <TextInput label={t('subs.label')} hint={t('subs.labelHint')} value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} required maxLength={100} />
        <Select label={t('subs.radius')} value={radius} onChange={(e) => setRadius(e.target.value)} error={errors.radiusM}>
          {[100, 250, 500, 1000, 2000, 5000].map((r) => <option key={r} value={r}>{t('subs.metres', { n: r })}</option>)}
        </Select>
        <LazyMap plots={noPlots} center={point ?? center} label={t('subs.mapLabel')} point={point} onPick={setPoint} radiusM={Number(radius)} />
        <div className="land-inline">
          <TextInput label={t('form.lat')} inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} error={errors.lat} />
          <TextInput label={t('form.lon')} inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} error={errors.lon} />
        </div>
        <Loaded loaded={plots}>{(list) => (
          <div className="land-inline">
            <Select label={t('subs.nearPlot')} value={near} onChange={(e) => setNear(e.target.value)}>
              <option value="">{t('form.choose')}</option>
              {list.items.map((p) => <option key={p.id} value={p.id}>{p.cadastralNumber}{p.address ? `, ${p.address}` : ''}</option>)}
            </Select>
            <Button variant="secondary" onClick={() => { const p = list.items.find((x) => x.id === near); if (p) setPoint(p.center.lat, p.center.lon); }}>{t('subs.aroundPlot')}</Button>
          </div>
        )}</Loaded>
        <Button type="submit">{t('subs.watchCircle')}</Button>
      </form>
    </section>
  );
}
