/**
 * The map for putting a pin where the problem is. Loaded only when the resident opens it (Leaflet is not in the
 * first page load), and never needed: without tiles the pin still works, and the address and district fields
 * beside it do the same job. Keyboard: the map takes focus, arrow keys move it, + and − zoom, and the button
 * "Put the pin at the centre" drops the pin under the cross in the middle.
 */
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../../ui/ui.js';

const DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

export interface MapPickerProps {
  center: { lat: number; lon: number };
  point: { lat: number; lon: number } | null;
  onPick: (lat: number, lon: number) => void;
}

export default function MapPicker({ center, point, onPick }: MapPickerProps) {
  const { t } = useTranslation('resident');
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const zoomRef = useRef<L.Control.Zoom | null>(null);
  const attributionRef = useRef<{ control: L.Control.Attribution; text: string } | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  const [tilesFailed, setTilesFailed] = useState(false);
  const helpId = useId();
  const tileUrl = (import.meta.env.VITE_TILE_URL as string | undefined) || DEFAULT_TILES;
  const customAttribution = import.meta.env.VITE_TILE_ATTRIBUTION as string | undefined;

  useEffect(() => {
    if (!el.current) return;
    const start = point ?? center;
    const map = L.map(el.current, { center: [start.lat, start.lon], zoom: point ? 16 : 12, zoomControl: false, attributionControl: false });
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19 });
    let failures = 0;
    tiles.on('tileerror', () => { failures += 1; if (failures >= 2) setTilesFailed(true); });
    tiles.on('tileload', () => { failures = 0; setTilesFailed(false); });
    tiles.addTo(map);
    map.on('click', (e: L.LeafletMouseEvent) => pick.current(e.latlng.lat, e.latlng.lng));
    mapRef.current = map;
    return () => { map.remove(); mapRef.current = null; markerRef.current = null; zoomRef.current = null; attributionRef.current = null; };
    // One map per opening; the pin follows `point` below.
  }, []);

  // Leaflet's own controls get their titles from the catalogs, and follow a change of language.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    zoomRef.current?.remove();
    zoomRef.current = L.control.zoom({ zoomInTitle: t('new.place.map.zoomIn'), zoomOutTitle: t('new.place.map.zoomOut') }).addTo(map);
    const text = customAttribution || (tileUrl === DEFAULT_TILES ? t('new.place.map.attribution') : '');
    if (attributionRef.current) attributionRef.current.control.remove();
    const control = L.control.attribution({ prefix: false });
    if (text) control.addAttribution(text);
    control.addTo(map);
    attributionRef.current = { control, text };
  }, [t, tileUrl, customAttribution]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!point) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    const at = L.latLng(point.lat, point.lon);
    if (markerRef.current) markerRef.current.setLatLng(at);
    else markerRef.current = L.circleMarker(at, { radius: 11, color: '#07455b', weight: 4, fillColor: '#ffbf47', fillOpacity: 1 }).addTo(map);
    if (!map.getBounds().pad(-0.1).contains(at)) map.panTo(at);
  }, [point]);

  const pinAtCentre = () => {
    const c = mapRef.current?.getCenter();
    if (c) pick.current(c.lat, c.lng);
  };

  return (
    <div className="r-map-block">
      <p id={helpId} className="hint">{t('new.place.map.help')}</p>
      <div className="r-map-wrap">
        <div ref={el} className="r-map" role="application" aria-label={t('new.place.map.label')} aria-describedby={helpId} />
        <div className="r-crosshair" aria-hidden="true" />
      </div>
      {tilesFailed ? <p className="alert" role="status">{t('new.place.map.noTiles')}</p> : null}
      <Button variant="secondary" onClick={pinAtCentre}>{t('new.place.map.pinCentre')}</Button>
    </div>
  );
}
