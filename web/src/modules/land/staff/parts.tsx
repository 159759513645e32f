/** Small pieces the staff's land pages share: the city's districts, status words, the land section's styles. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.js';
import { STATUS_COLOURS } from '../status.js';
import './land-staff.css';

export interface District { id: string; code: string; name: { ky: string; ru: string; en: string } }

const cache = new Map<string, Promise<District[]>>();

/** The city's districts (for filters and names), loaded once per city. */
export function useDistricts(city: string): District[] {
  const [list, setList] = useState<District[]>([]);
  useEffect(() => {
    let live = true;
    let p = cache.get(city);
    if (!p) {
      p = api.GET('/api/v1/m/{municipality}', { params: { path: { municipality: city } } }).then((r) => (r.data?.districts ?? []) as District[]);
      p.catch(() => cache.delete(city));
      cache.set(city, p);
    }
    p.then((d) => { if (live) setList(d); }, () => {});
    return () => { live = false; };
  }, [city]);
  return list;
}

/** A plot's status in words, with its map colour beside it (never the colour alone). */
export function PlotStatusText({ status, leasedUntil }: { status: string; leasedUntil?: string | null }) {
  const { t } = useTranslation('landStaff');
  return (
    <span className="ls-status">
      <span className="ls-swatch" aria-hidden="true" style={{ background: STATUS_COLOURS[status] }} />
      {t(`plotStatus.${status}`)}
      {status === 'leased_temporarily' && leasedUntil ? ` ${t('plot.leasedUntilValue', { date: leasedUntil })}` : null}
    </span>
  );
}
