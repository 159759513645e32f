/**
 * The district map: each district's boundary (GeoJSON from the city's directory) coloured by its appeals per 10,000
 * residents where the population is known, else by its appeals. A lazy chunk; the table beside it has the figures.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createMap, L, type MapTexts } from './base.js';
import { Legend } from './HexMap.js';
import { colourClasses, colourOf } from './scale.js';

const FALLBACK_CENTRE: [number, number] = [42.8746, 74.6122];

export interface DistrictShape { id: string; name: string; boundary: unknown; value: number; tooltip: string }

export default function DistrictMap({ districts, texts }: { districts: DistrictShape[]; texts: MapTexts }) {
  const { i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const helpId = useId();
  const classes = colourClasses(districts.map((d) => d.value));

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current, FALLBACK_CENTRE, texts, setTilesFailed);
    const group = L.featureGroup();
    for (const d of districts) {
      try {
        const layer = L.geoJSON(d.boundary as GeoJSON.GeoJsonObject, {
          style: { color: '#1a1f24', weight: 2, opacity: 0.8, fillColor: colourOf(classes, d.value), fillOpacity: 0.85 },
        });
        layer.bindTooltip(d.tooltip);
        group.addLayer(layer);
      } catch { /* a boundary Leaflet cannot draw: the table still has the district */ }
    }
    group.addTo(map);
    if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [12, 12] });
    return () => { map.remove(); };
  }, [districts]);

  return (
    <div className="an-map-block">
      <p id={helpId} className="hint">{texts.help}</p>
      <div ref={el} className="an-map" role="application" aria-label={texts.label} aria-describedby={helpId} />
      {tilesFailed ? <p className="alert" role="status">{texts.noTiles}</p> : null}
      <Legend classes={classes} title={texts.legend} lang={i18n.language} decimals />
    </div>
  );
}
