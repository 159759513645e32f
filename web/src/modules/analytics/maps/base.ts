/**
 * What both analytics maps share (loaded only with them: Leaflet is never in the first page load): a map with the
 * tile layer of VITE_TILE_URL (OpenStreetMap's by default), zoom and attribution controls titled from the caller's
 * texts, and a note when tiles do not load — the coloured shapes are drawn without them, so the map still works.
 */
import 'leaflet/dist/leaflet.css';
import L from 'leaflet';

export const DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const tileUrl = (import.meta.env.VITE_TILE_URL as string | undefined) || DEFAULT_TILES;
const customAttribution = import.meta.env.VITE_TILE_ATTRIBUTION as string | undefined;

export interface MapTexts {
  /** The map's accessible name. */
  label: string;
  /** How to use it, and that the same figures are in the table. */
  help: string;
  noTiles: string;
  zoomIn: string;
  zoomOut: string;
  /** OpenStreetMap's attribution (used with the default tiles). */
  attribution: string;
  legend: string;
}

/** A new map in `el`, centred on `center`; `onTilesFailed` is told when tiles keep failing (or load again). */
export function createMap(el: HTMLElement, center: [number, number], texts: MapTexts, onTilesFailed: (failed: boolean) => void): L.Map {
  // Fractional zoom lets the shapes fill the map; the scroll wheel scrolls the page, not the map (+ and − zoom it).
  const map = L.map(el, { center, zoom: 11, zoomSnap: 0.25, zoomControl: false, attributionControl: false, scrollWheelZoom: false });
  const tiles = L.tileLayer(tileUrl, { maxZoom: 18 });
  let failures = 0;
  tiles.on('tileerror', () => { failures += 1; if (failures >= 2) onTilesFailed(true); });
  tiles.on('tileload', () => { failures = 0; onTilesFailed(false); });
  tiles.addTo(map);
  L.control.zoom({ zoomInTitle: texts.zoomIn, zoomOutTitle: texts.zoomOut }).addTo(map);
  const attribution = customAttribution || (tileUrl === DEFAULT_TILES ? texts.attribution : '');
  const control = L.control.attribution({ prefix: false });
  if (attribution) control.addAttribution(attribution);
  control.addTo(map);
  return map;
}

export { L };
