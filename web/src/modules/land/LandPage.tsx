/**
 * /:city/land — the city's plots: a map (outlines coloured by status, a click opens the passport) and, with the same
 * filters, the list (the non-map alternative); beside them the announcements open for comment and the most
 * supported proposals, with "Propose a use".
 */
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { Button, PageTitle, Select, TextInput } from '../../ui/ui.js';
import { nameIn, useDirectory } from '../resident/shared.js';
import {
  inLang, LandLayout, LazyMap, Legend, Loaded, PlotStatus, useFormat, useLoaded,
  type AnnouncementList, type PlotList, type PlotMapData, type ProposalList, fetchPlots, useCommentUntil } from './shared.js';
import { PLOT_STATUSES } from './status.js';

const FALLBACK_CENTRE = { lat: 42.8746, lon: 74.6122 };

export function LandPage() {
  const { t } = useTranslation('land');
  const { city = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const filters = { status: params.get('status') ?? '', district: params.get('district') ?? '', q: params.get('q') ?? '' };
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as { status?: (typeof PLOT_STATUSES)[number]; district?: string; q?: string };
  const key = `${city}|${params.toString()}`;
  const list = useLoaded<PlotList>(key, () => fetchPlots(city, { ...query, limit: 200 }));
  const shapes = useLoaded<PlotMapData>(key, () => api.GET('/api/v1/m/{municipality}/land/plots.geojson', { params: { path: { municipality: city }, query } }));
  const { result: dir } = useDirectory(city);
  const center = (dir.state === 'ok' && dir.data.center) || FALLBACK_CENTRE;
  const navigate = useNavigate();

  return (
    <LandLayout city={city}>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p className="r-lead">{t('lead')}</p>
      <p className="land-actions">
        <Link className="btn btn-primary" to={`/${city}/land/proposals/new`}>{t('propose')}</Link>
        <Link to={`/${city}/land/proposals`}>{t('nav.proposals')}</Link>
        <Link to={`/${city}/land/meetings`}>{t('nav.meetings')}</Link>
        <Link to={`/${city}/land/subscriptions`}>{t('nav.subscriptions')}</Link>
      </p>
      <div className="land-columns">
        <div className="land-main">
          <Filters key={params.toString()} city={city} initial={filters} districts={dir.state === 'ok' ? dir.data.districts : []} onApply={(f) => setParams(Object.fromEntries(Object.entries(f).filter(([, v]) => v)))} />
          <section aria-labelledby="land-map-h">
            <h2 id="land-map-h">{t('map.heading')}</h2>
            <Loaded loaded={shapes}>{(data) => (
              <>
                <PlotsMap data={data} center={center} onOpen={(id) => navigate(`/${city}/land/plots/${id}`)} />
                {data.truncated ? <p className="hint">{t('map.truncated')}</p> : null}
              </>
            )}</Loaded>
            <Legend />
          </section>
        </div>
        <aside className="land-side" aria-label={t('side.label')}>
          <OpenAnnouncements city={city} />
          <TopProposals city={city} />
        </aside>
      </div>
      <section aria-labelledby="land-list-h">
        <h2 id="land-list-h">{t('list.heading')}</h2>
        <Loaded loaded={list}>{(data) => <PlotTable city={city} data={data} districts={dir.state === 'ok' ? dir.data.districts : []} />}</Loaded>
      </section>
    </LandLayout>
  );
}

function PlotsMap({ data, center, onOpen }: { data: PlotMapData; center: { lat: number; lon: number }; onOpen: (id: string) => void }) {
  const { t } = useTranslation('land');
  const plots = useMemo(() => data.features.map((f) => ({
    id: f.id, geometry: f.geometry, status: f.properties.status, center: f.properties.center,
    label: `${f.properties.cadastralNumber}${f.properties.address ? `, ${f.properties.address}` : ''} — ${t(`plotStatus.${f.properties.status}`)}`,
  })), [data, t]);
  return <LazyMap plots={plots} center={center} label={t('map.label')} onOpen={onOpen} />;
}

type District = { id: string; code: string; name: { ky: string; ru: string; en: string } };

function Filters({ initial, districts, onApply }: { city: string; initial: { status: string; district: string; q: string }; districts: District[]; onApply: (f: { status: string; district: string; q: string }) => void }) {
  const { t, i18n } = useTranslation('land');
  const [f, setF] = useState(initial);
  const submit = (e: FormEvent) => { e.preventDefault(); onApply(f); };
  return (
    <form className="land-filters" role="search" aria-label={t('filters.label')} onSubmit={submit}>
      <Select label={t('filters.status')} value={f.status} onChange={(e) => setF({ ...f, status: e.target.value })}>
        <option value="">{t('filters.any')}</option>
        {PLOT_STATUSES.map((s) => <option key={s} value={s}>{t(`plotStatus.${s}`)}</option>)}
      </Select>
      <Select label={t('filters.district')} value={f.district} onChange={(e) => setF({ ...f, district: e.target.value })}>
        <option value="">{t('filters.any')}</option>
        {districts.map((d) => <option key={d.id} value={d.id}>{nameIn(d.name, i18n.language)}</option>)}
      </Select>
      <TextInput label={t('filters.q')} hint={t('filters.qHint')} value={f.q} onChange={(e) => setF({ ...f, q: e.target.value })} maxLength={100} type="search" />
      <Button type="submit">{t('filters.apply')}</Button>
    </form>
  );
}

function PlotTable({ city, data, districts }: { city: string; data: PlotList; districts: District[] }) {
  const { t, i18n } = useTranslation('land');
  const { num } = useFormat();
  if (!data.items.length) return <p>{t('list.empty')}</p>;
  const district = (id: string | null) => nameIn(districts.find((d) => d.id === id)?.name, i18n.language);
  return (
    <>
      <p role="status">{t('list.count', { count: data.total })}</p>
      <div className="table-wrap">
        <table className="land-table">
          <caption className="visually-hidden">{t('list.heading')}</caption>
          <thead><tr><th scope="col">{t('plot.cadastral')}</th><th scope="col">{t('plot.address')}</th><th scope="col">{t('plot.district')}</th><th scope="col">{t('plot.area')}</th><th scope="col">{t('plot.status')}</th></tr></thead>
          <tbody>
            {data.items.map((p) => (
              <tr key={p.id}>
                <th scope="row"><Link to={`/${city}/land/plots/${p.id}`}>{p.cadastralNumber}</Link></th>
                <td>{p.address ?? '—'}</td>
                <td>{district(p.districtId) || '—'}</td>
                <td>{p.areaM2 !== null ? t('plot.areaValue', { area: num(Math.round(p.areaM2)) }) : '—'}</td>
                <td><PlotStatus status={p.status} leasedUntil={p.leasedUntil} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function OpenAnnouncements({ city }: { city: string }) {
  const { t } = useTranslation('land');
  const { lang } = useFormat();
  const commentUntil = useCommentUntil();
  const loaded = useLoaded<AnnouncementList>(city, () => api.GET('/api/v1/m/{municipality}/land/announcements', { params: { path: { municipality: city }, query: { status: 'published', limit: 10 } } }));
  return (
    <section aria-labelledby="land-open-h" className="card r-card">
      <h2 id="land-open-h">{t('side.announcements')}</h2>
      <Loaded loaded={loaded}>{(data) => data.items.length ? (
        <ul className="land-plain">{data.items.map((a) => (
          <li key={a.id}>
            <Link to={`/${city}/land/announcements/${a.id}`}>{inLang(a.title, lang)}</Link>
            <br /><span className="hint">{a.cadastralNumber}{a.address ? `, ${a.address}` : ''}</span>
            <br />{a.commentsOpen ? commentUntil(a.commentClosesAt) : t('announcement.closed')}
          </li>
        ))}</ul>
      ) : <p>{t('side.noAnnouncements')}</p>}</Loaded>
    </section>
  );
}

function TopProposals({ city }: { city: string }) {
  const { t } = useTranslation('land');
  const loaded = useLoaded<ProposalList>(city, () => api.GET('/api/v1/m/{municipality}/land/proposals', { params: { path: { municipality: city }, query: { sort: 'most_supported', status: 'open', limit: 5 } } }));
  return (
    <section aria-labelledby="land-top-h" className="card r-card">
      <h2 id="land-top-h">{t('side.proposals')}</h2>
      <Loaded loaded={loaded}>{(data) => data.items.length ? (
        <ul className="land-plain">{data.items.map((p) => (
          <li key={p.id}><Link to={`/${city}/land/proposals/${p.id}`}>{p.title}</Link> — {t('proposal.supports', { count: p.supportCount })}</li>
        ))}</ul>
      ) : <p>{t('side.noProposals')}</p>}</Loaded>
      <p><Link to={`/${city}/land/proposals`}>{t('side.allProposals')}</Link></p>
    </section>
  );
}
