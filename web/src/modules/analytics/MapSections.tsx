/**
 * The maps with their table alternatives, for the staff dashboard and the public one (`ns` names the catalog:
 * both have the same map.* keys). The maps are lazy chunks (Leaflet, h3-js); each has a "show as table" with the
 * same figures, open by itself when the map cannot be shown.
 */
import { Component, lazy, Suspense, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { pickName } from '../../app/cities.js';
import { Loading } from '../../ui/ui.js';
import { Figure } from '../scorecards/shared.js';
import { formatNumber } from '../scorecards/format.js';
import type { MapTexts } from './maps/base.js';
import type { DistrictShape } from './maps/DistrictMap.js';

const HexMap = lazy(() => import('./maps/HexMap.js'));
const DistrictMap = lazy(() => import('./maps/DistrictMap.js'));

/** How many cells the table lists (the busiest first); the export has them all. */
const CELL_ROWS = 50;

type Ns = 'analytics' | 'dashboard';

/** A failed map chunk (offline, say) leaves the table, opened. */
class MapBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() { return { failed: true }; }
  override render() { return this.state.failed ? this.props.fallback : this.props.children; }
}

function useMapTexts(ns: Ns, which: 'hex' | 'district'): MapTexts {
  const { t } = useTranslation(ns);
  return {
    label: t(`map.${which}.label`), help: t(`map.${which}.help`), legend: t(`map.${which}.legend`),
    noTiles: t('map.noTiles'), zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution'),
  };
}

/** A table alternative under its map: a disclosure, open from the start when the map could not be shown. */
function TableAlternative({ ns, open, children }: { ns: Ns; open: boolean; children: ReactNode }) {
  const { t } = useTranslation(ns);
  return (
    <details className="an-table-alt" open={open || undefined}>
      <summary>{t('map.showTable')}</summary>
      {children}
    </details>
  );
}

export function CellsMap({ ns, cells, caption }: { ns: Ns; cells: { cell: string; appeals: number }[]; caption: string }) {
  const { t, i18n } = useTranslation(ns);
  const lang = i18n.language;
  const texts = useMapTexts(ns, 'hex');
  const [failed, setFailed] = useState(false);
  const table = <CellsTable ns={ns} cells={cells} caption={caption} />;
  if (!cells.length) return <p>{t('map.empty')}</p>;
  return (
    <>
      <MapBoundary fallback={<FailedMap ns={ns} onFail={setFailed} />}>
        <Suspense fallback={<Loading label={t('map.loading')} />}>
          <HexMap key={lang} cells={cells} texts={texts} describe={(n) => t('map.hex.tooltip', { count: n, n: formatNumber(n, lang) })} />
        </Suspense>
      </MapBoundary>
      <TableAlternative ns={ns} open={failed}>{table}</TableAlternative>
    </>
  );
}

function FailedMap({ ns, onFail }: { ns: Ns; onFail: (f: boolean) => void }) {
  const { t } = useTranslation(ns);
  useEffect(() => { onFail(true); }, [onFail]);
  return <p className="alert" role="status">{t('map.failed')}</p>;
}

function CellsTable({ ns, cells, caption }: { ns: Ns; cells: { cell: string; appeals: number }[]; caption: string }) {
  const { t, i18n } = useTranslation(ns);
  const lang = i18n.language;
  const id = useId();
  const total = cells.reduce((s, c) => s + c.appeals, 0);
  const top = useMemo(() => [...cells].sort((a, b) => b.appeals - a.appeals).slice(0, CELL_ROWS), [cells]);
  // The centres need h3-js, which loads with the map's chunk; until then (or without it) the cell's index is shown.
  const [centres, setCentres] = useState<Map<string, [number, number]> | null>(null);
  useEffect(() => {
    let live = true;
    import('./maps/centres.js').then((m) => { if (live) setCentres(m.cellCentres(top.map((c) => c.cell))); }, () => {});
    return () => { live = false; };
  }, [top]);
  const coord = new Intl.NumberFormat('en', { minimumFractionDigits: 4, maximumFractionDigits: 4 });
  return (
    <>
      <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
        <table className="figures-table an-table an-cells">
          <caption id={id}>{caption}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">{t('map.col.rank')}</th>
              <th scope="col">{t('map.col.place')}</th>
              <th scope="col" className="num">{t('map.col.appeals')}</th>
              <th scope="col" className="num">{t('map.col.share')}</th>
            </tr>
          </thead>
          <tbody>
            {top.map((c, i) => {
              const at = centres?.get(c.cell);
              return (
                <tr key={c.cell}>
                  <td className="num">{formatNumber(i + 1, lang)}</td>
                  <th scope="row">
                    {at ? (
                      <a href={`https://www.openstreetmap.org/?mlat=${at[0].toFixed(5)}&mlon=${at[1].toFixed(5)}#map=16/${at[0].toFixed(5)}/${at[1].toFixed(5)}`}
                        target="_blank" rel="noopener noreferrer">
                        {t('map.centre', { lat: coord.format(at[0]), lon: coord.format(at[1]) })}
                        <span className="visually-hidden"> {t('map.opensOsm')}</span>
                      </a>
                    ) : null}
                    <span className="an-cell-id"> <code>{c.cell}</code></span>
                  </th>
                  <td className="num">{formatNumber(c.appeals, lang)}</td>
                  <td className="num"><Figure value={total ? (c.appeals / total) * 100 : null} kind="pct" /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {cells.length > top.length ? <p className="hint">{t('map.moreCells', { count: cells.length - top.length })}</p> : null}
    </>
  );
}

export interface DistrictFigure { districtId: string | null; label: { ky: string; ru: string; en: string } | null; appeals: number; per10k: number | null }

/**
 * The district map (where boundaries are known; `boundaries` maps a district id to its GeoJSON) and the district
 * table, always: with no boundaries the table is the whole section.
 */
export function DistrictsMap({ ns, districts, boundaries, caption, drill }: {
  ns: Ns; districts: DistrictFigure[]; boundaries: Map<string, unknown>; caption: string; drill?: (districtId: string) => string | null;
}) {
  const { t, i18n } = useTranslation(ns);
  const lang = i18n.language;
  const texts = useMapTexts(ns, 'district');
  const [failed, setFailed] = useState(false);
  const byRate = districts.some((d) => d.per10k !== null);
  const shapes: DistrictShape[] = useMemo(() => districts.flatMap((d) => {
    const boundary = d.districtId ? boundaries.get(d.districtId) : undefined;
    if (!boundary || !d.districtId) return [];
    const value = byRate ? d.per10k ?? 0 : d.appeals;
    const name = pickName(d.label ?? undefined, lang);
    return [{ id: d.districtId, name, boundary, value, tooltip: `${name}: ${t('map.district.tooltip', { count: d.appeals, n: formatNumber(d.appeals, lang) })}` }];
  }), [districts, boundaries, byRate, lang, t]);
  const table = <DistrictsTable ns={ns} districts={districts} caption={caption} drill={drill} />;
  if (!shapes.length) return <>{boundaries.size === 0 ? <p className="hint">{t('map.district.noBoundaries')}</p> : null}{table}</>;
  return (
    <>
      <MapBoundary fallback={<FailedMap ns={ns} onFail={setFailed} />}>
        <Suspense fallback={<Loading label={t('map.loading')} />}>
          <DistrictMap key={lang} districts={shapes} texts={{ ...texts, legend: byRate ? t('map.district.legendRate') : texts.legend }} />
        </Suspense>
      </MapBoundary>
      <TableAlternative ns={ns} open={failed}>{table}</TableAlternative>
    </>
  );
}

function DistrictsTable({ ns, districts, caption, drill }: { ns: Ns; districts: DistrictFigure[]; caption: string; drill?: ((districtId: string) => string | null) | undefined }) {
  const { t, i18n } = useTranslation(ns);
  const lang = i18n.language;
  const id = useId();
  const rows = [...districts].sort((a, b) => b.appeals - a.appeals);
  return (
    <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="figures-table an-table an-districts">
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('map.col.district')}</th>
            <th scope="col" className="num">{t('map.col.appeals')}</th>
            <th scope="col" className="num">{t('map.col.per10k')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => {
            const to = d.districtId && drill ? drill(d.districtId) : null;
            return (
              <tr key={d.districtId ?? 'none'}>
                <th scope="row">{d.label ? pickName(d.label, lang) : t('none')}</th>
                <td className="num">{to && d.appeals ? <Link to={to} className="an-drill">{formatNumber(d.appeals, lang)}</Link> : formatNumber(d.appeals, lang)}</td>
                <td className="num"><Figure value={d.per10k} kind="rating" /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
