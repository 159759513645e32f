/**
 * /staff/:city/land/plots — the plot registry for staff: the list with filters (status, district, cadastral number
 * or address), "Add a plot", and "Import plots" (a GeoJSON or CSV file: a dry run's report first, then the import).
 */
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { pickName } from '../../../app/cities.js';
import { Button, PageTitle, Select, TextInput } from '../../../ui/ui.js';
import { ImportPanel } from './ImportPanel.js';
import { can, LandTabs, Loaded, NotAllowed, PLOT_STATUSES, send, useCity, useData, useFormat, useRoles, type PlotList } from './shared.js';
import { PlotStatusText, useDistricts } from './parts.js';

const PAGE = 50;

export function PlotsPage() {
  const { t } = useTranslation('landStaff');
  const city = useCity();
  const roles = useRoles();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const district = params.get('district') ?? '';
  const q = params.get('q') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const districts = useDistricts(city);
  const { lang, num, day } = useFormat();
  const [draft, setDraft] = useState({ status, district, q });
  const plots = useData<PlotList>(`${city}|${status}|${district}|${q}|${offset}`, () => send(api.GET('/api/v1/m/{municipality}/land/plots', {
    params: { path: { municipality: city }, query: { limit: PAGE, offset, ...(status ? { status: status as never } : {}), ...(district ? { district } : {}), ...(q ? { q } : {}) } },
  })));

  if (!can(roles, 'plots')) return <><PageTitle title={t('plots.title')}>{t('plots.title')}</PageTitle><LandTabs /><NotAllowed /></>;

  function filter(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    if (draft.status) next.set('status', draft.status);
    if (draft.district) next.set('district', draft.district);
    if (draft.q.trim()) next.set('q', draft.q.trim());
    setParams(next);
  }
  const page = (o: number) => { const next = new URLSearchParams(params); next.set('offset', String(o)); setParams(next); };

  return (
    <>
      <PageTitle title={t('plots.title')}>{t('plots.title')}</PageTitle>
      <LandTabs />
      <p className="row-actions">
        <Link className="btn btn-primary" to={`/staff/${city}/land/plots/new`}>{t('plots.add')}</Link>
        <Link className="btn btn-secondary" to={`/${city}/land`}>{t('plots.publicMap')}</Link>
      </p>
      <ImportPanel city={city} onImported={plots.reload} />
      <section aria-labelledby="lp-list" className="card">
        <h2 id="lp-list">{t('plots.list')}</h2>
        <form onSubmit={filter} className="ls-filters" role="search" aria-label={t('plots.filters')}>
          <Select label={t('plot.status')} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            <option value="">{t('plots.any')}</option>
            {PLOT_STATUSES.map((s) => <option key={s} value={s}>{t(`plotStatus.${s}`)}</option>)}
          </Select>
          <Select label={t('plot.district')} value={draft.district} onChange={(e) => setDraft({ ...draft, district: e.target.value })}>
            <option value="">{t('plots.any')}</option>
            {districts.map((d) => <option key={d.id} value={d.id}>{pickName(d.name, lang)}</option>)}
          </Select>
          <TextInput label={t('plots.search')} type="search" value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          <Button type="submit">{t('plots.show')}</Button>
        </form>
        <Loaded data={plots}>{(data) => data.items.length === 0 ? <p>{t('plots.none')}</p> : (
          <>
            <p role="status">{t('plots.total', { count: data.total, n: num(data.total) })}</p>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('plots.list')}>
              <table className="ls-plots">
                <thead><tr>
                  <th scope="col">{t('plot.cadastralNumber')}</th><th scope="col">{t('plot.address')}</th><th scope="col">{t('plot.district')}</th>
                  <th scope="col">{t('plot.area')}</th><th scope="col">{t('plot.status')}</th><th scope="col">{t('plots.passport')}</th>
                </tr></thead>
                <tbody>{data.items.map((p) => (
                  <tr key={p.id}>
                    <th scope="row"><Link to={`/staff/${city}/land/plots/${p.id}`}>{p.cadastralNumber}</Link></th>
                    <td>{p.address ?? '—'}</td>
                    <td>{pickName(districts.find((d) => d.id === p.districtId)?.name, lang) || '—'}</td>
                    <td>{p.areaM2 !== null ? t('plot.areaValue', { n: num(Math.round(p.areaM2)) }) : '—'}</td>
                    <td><PlotStatusText status={p.status} leasedUntil={p.leasedUntil ? day(p.leasedUntil) : null} /></td>
                    <td><Link to={`/${city}/land/plots/${p.id}`}>{t('plots.passport')}<span className="visually-hidden"> {p.cadastralNumber}</span></Link></td>
                  </tr>
                ))}</tbody>
              </table>
            </div>
            <p className="row-actions">
              {offset > 0 ? <Button variant="secondary" onClick={() => page(Math.max(0, offset - PAGE))}>{t('plots.previous')}</Button> : null}
              {offset + PAGE < data.total ? <Button variant="secondary" onClick={() => page(offset + PAGE)}>{t('plots.next')}</Button> : null}
            </p>
          </>
        )}</Loaded>
      </section>
    </>
  );
}
