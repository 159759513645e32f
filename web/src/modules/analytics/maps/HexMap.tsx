/**
 * The hexagon heat map: each H3 cell with appeals drawn as its hexagon (h3-js cellToBoundary), coloured by how many
 * appeals it holds, with a legend of the classes. A lazy chunk (Leaflet and h3-js load only with it). The same
 * figures are in the table beside it on the page.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { cellToBoundary } from 'h3-js';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../scorecards/format.js';
import { createMap, L, type MapTexts } from './base.js';
import { colourClasses, colourOf } from './scale.js';

/** Bishkek's centre: where the map opens when there is nothing to show. */
const FALLBACK_CENTRE: [number, number] = [42.8746, 74.6122];

export default function HexMap({ cells, texts, describe }: {
  cells: { cell: string; appeals: number }[]; texts: MapTexts;
  /** A hexagon's tooltip ("12 appeals"). */
  describe: (appeals: number) => string;
}) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const el = useRef<HTMLDivElement>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const helpId = useId();
  const classes = colourClasses(cells.map((c) => c.appeals));

  useEffect(() => {
    if (!el.current) return;
    const map = createMap(el.current, FALLBACK_CENTRE, texts, setTilesFailed);
    const shapes: L.Polygon[] = [];
    for (const { cell, appeals } of cells) {
      let ring: [number, number][];
      try { ring = cellToBoundary(cell) as [number, number][]; } catch { continue; } // not a valid cell: skipped
      const shape = L.polygon(ring, { color: '#1a1f24', weight: 1, opacity: 0.7, fillColor: colourOf(classes, appeals), fillOpacity: 0.85 });
      shape.bindTooltip(describe(appeals));
      shape.addTo(map);
      shapes.push(shape);
    }
    if (shapes.length) map.fitBounds(L.featureGroup(shapes).getBounds(), { padding: [16, 16], maxZoom: 15 });
    return () => { map.remove(); };
    // One map per set of cells (the parent keys it on the language too).
  }, [cells]);

  return (
    <div className="an-map-block">
      <p id={helpId} className="hint">{texts.help}</p>
      <div ref={el} className="an-map" role="application" aria-label={texts.label} aria-describedby={helpId} data-cells={cells.length} />
      {tilesFailed ? <p className="alert" role="status">{texts.noTiles}</p> : null}
      <Legend classes={classes} title={texts.legend} lang={lang} />
    </div>
  );
}

export function Legend({ classes, title, lang, decimals = false }: { classes: ReturnType<typeof colourClasses>; title: string; lang: string; decimals?: boolean }) {
  if (!classes.length) return null;
  const n = (v: number) => formatNumber(decimals ? Math.round(v * 10) / 10 : v, lang);
  return (
    <div className="an-legend">
      <p className="an-legend-title">{title}</p>
      <ul>
        {classes.map((c) => (
          <li key={c.colour}>
            <span className="an-swatch" style={{ background: c.colour }} aria-hidden="true" />
            {c.from >= c.to ? n(c.to) : `${n(c.from)}–${n(c.to)}`}
          </li>
        ))}
      </ul>
    </div>
  );
}
