/**
 * The land map (a lazy chunk: Leaflet is never in the first page load): plot outlines coloured by status, a click
 * opens the plot's passport; or, in pick mode, a click (or "use the map's centre") picks a point. It works without
 * tiles (the outlines are drawn anyway), and every page that shows it also has a list with the same content.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createMap, L } from '../analytics/maps/base.js';
import { Button } from '../../ui/ui.js';
import { STATUS_COLOURS } from './status.js';

export interface MapPlot { id: string; geometry: unknown; status: string; label: string; center?: { lat: number; lon: number } }
export interface PlotMapProps {
  plots: MapPlot[];
  center: { lat: number; lon: number };
  label: string;
  onOpen?: (id: string) => void;
  /** Pick mode: a click puts the point here. */
  point?: { lat: number; lon: number } | null;
  onPick?: (lat: number, lon: number) => void;
  /** A circle around the point (metres), e.g. a watched area. */
  radiusM?: number;
  /** How to use this map (default: click an outline to open the passport). */
  help?: string;
}

export default function PlotMap({ plots, center, label, onOpen, point, onPick, radiusM, help }: PlotMapProps) {
  const { t } = useTranslation('land');
  const el = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.Layer | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;
  const pick = useRef(onPick);
  pick.current = onPick;
  const [tilesFailed, setTilesFailed] = useState(false);
  const helpId = useId();

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current, [center.lat, center.lon], {
      label, help: '', noTiles: t('map.noTiles'), zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), attribution: t('map.attribution'), legend: t('map.legend'),
    }, setTilesFailed);
    const group = L.featureGroup();
    for (const p of plots) {
      try {
        const layer = L.geoJSON(p.geometry as GeoJSON.GeoJsonObject, {
          style: { color: '#1a1f24', weight: 2, fillColor: STATUS_COLOURS[p.status] ?? '#888', fillOpacity: 0.6 },
        });
        layer.bindTooltip(p.label);
        layer.on('click', (e: L.LeafletMouseEvent) => {
          if (pick.current) pick.current(e.latlng.lat, e.latlng.lng);
          else open.current?.(p.id);
        });
        group.addLayer(layer);
        // Plots are small: at the city's scale a dot shows where each one is.
        if (p.center && plots.length > 1) {
          const dot = L.circleMarker([p.center.lat, p.center.lon], { radius: 7, color: '#1a1f24', weight: 2, fillColor: STATUS_COLOURS[p.status] ?? '#888', fillOpacity: 0.9 });
          dot.bindTooltip(p.label);
          dot.on('click', () => open.current?.(p.id));
          group.addLayer(dot);
        }
      } catch { /* an outline Leaflet cannot draw: the list still has the plot */ }
    }
    group.addTo(map);
    if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 17, animate: false });
    map.on('click', (e: L.LeafletMouseEvent) => pick.current?.(e.latlng.lat, e.latlng.lng));
    mapRef.current = map;
    // Stop any pan or zoom still running first: Leaflet would finish it on a removed map.
    return () => { map.stop(); map.remove(); mapRef.current = null; markerRef.current = null; };
  }, [plots]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    markerRef.current?.remove();
    markerRef.current = null;
    if (!point) return;
    const at = L.latLng(point.lat, point.lon);
    markerRef.current = radiusM
      ? L.circle(at, { radius: radiusM, color: '#07455b', weight: 3, fillOpacity: 0.1 }).addTo(map)
      : L.circleMarker(at, { radius: 10, color: '#07455b', weight: 4, fillColor: '#ffbf47', fillOpacity: 1 }).addTo(map);
    if (!map.getBounds().contains(at)) map.panTo(at, { animate: false });
  }, [point, radiusM, plots]);

  const pickCentre = () => {
    const c = mapRef.current?.getCenter();
    if (c) pick.current?.(c.lat, c.lng);
  };

  return (
    <div className="land-map-block">
      <p id={helpId} className="hint">{help ?? (onPick ? t('map.pickHelp') : t('map.help'))}</p>
      <div ref={el} className="land-map" role="application" aria-label={label} aria-describedby={helpId} />
      {tilesFailed ? <p className="alert" role="status">{t('map.noTiles')}</p> : null}
      {onPick ? <Button variant="secondary" onClick={pickCentre}>{t('map.pickCentre')}</Button> : null}
    </div>
  );
}
