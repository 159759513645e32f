/** Point-in-polygon for GeoJSON district boundaries (no PostGIS: PGlite has none, and four districts need none). */

type Ring = number[][];
type Polygon = Ring[];

function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(polygon: Polygon, lon: number, lat: number): boolean {
  const [outer, ...holes] = polygon;
  return !!outer && inRing(outer, lon, lat) && !holes.some((h) => inRing(h, lon, lat));
}

/** Polygons of a GeoJSON geometry, Feature or FeatureCollection (Polygon and MultiPolygon). */
export function polygonsOf(geo: unknown): Polygon[] {
  if (!geo || typeof geo !== 'object') return [];
  const g = geo as { type?: string; coordinates?: unknown; geometry?: unknown; features?: unknown[] };
  if (g.type === 'Feature') return polygonsOf(g.geometry);
  if (g.type === 'FeatureCollection') return (g.features ?? []).flatMap(polygonsOf);
  if (g.type === 'Polygon') return [g.coordinates as Polygon];
  if (g.type === 'MultiPolygon') return g.coordinates as Polygon[];
  return [];
}

export function isPolygonal(geo: unknown): boolean {
  const polys = polygonsOf(geo);
  return polys.length > 0 && polys.every((p) => p.length > 0 && p.every((ring) =>
    Array.isArray(ring) && ring.length >= 4 && ring.every((pt) => Array.isArray(pt) && pt.length >= 2 && pt.every((n) => typeof n === 'number' && Number.isFinite(n)))));
}

export function districtContaining<T extends { id: string; boundary: unknown }>(districts: readonly T[], lat: number, lon: number): string | null {
  for (const d of districts) {
    if (polygonsOf(d.boundary).some((p) => inPolygon(p, lon, lat))) return d.id;
  }
  return null;
}
