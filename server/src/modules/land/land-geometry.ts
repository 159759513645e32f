/**
 * Plot outlines: GeoJSON Polygon / MultiPolygon in WGS 84 (positions are [lon, lat]). No PostGIS (PGlite has none),
 * and plots are small: the checks, the centre, the bounding box and the area are computed here, once, when a plot is
 * written, and kept beside the outline.
 */

export type Position = [number, number];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type PlotGeometry =
  | { type: 'Polygon'; coordinates: PolygonCoords }
  | { type: 'MultiPolygon'; coordinates: PolygonCoords[] };

/** More positions than this is not a plot outline (a whole district, or a mistake). */
export const MAX_POSITIONS = 10_000;
/** Mean Earth radius (IUGG), metres. */
const R = 6_371_008.8;
const RAD = Math.PI / 180;

export const GEOMETRY_PROBLEMS = [
  'geometry_type', 'malformed', 'not_a_number', 'out_of_range', 'too_few_positions', 'ring_not_closed', 'too_many_positions', 'degenerate',
] as const;
export type GeometryProblem = (typeof GEOMETRY_PROBLEMS)[number];

export type GeometryCheck = { ok: true; geometry: PlotGeometry } | { ok: false; problem: GeometryProblem; path: string };

/**
 * Checks an outline and returns it normalised (positions cut to [lon, lat]; a third coordinate is dropped).
 * A ring needs at least 4 positions with the last equal to the first; an outer ring must enclose some area.
 */
export function validatePlotGeometry(input: unknown): GeometryCheck {
  const fail = (problem: GeometryProblem, path: string): GeometryCheck => ({ ok: false, problem, path });
  if (!input || typeof input !== 'object') return fail('geometry_type', '');
  const g = input as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return fail('geometry_type', 'type');
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return fail('malformed', 'coordinates');
  const polygons: unknown[] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let count = 0;
  const out: PolygonCoords[] = [];
  for (const [pi, poly] of polygons.entries()) {
    const pPath = g.type === 'Polygon' ? 'coordinates' : `coordinates.${pi}`;
    if (!Array.isArray(poly) || poly.length === 0) return fail('malformed', pPath);
    const rings: Ring[] = [];
    for (const [ri, ring] of poly.entries()) {
      const rPath = `${pPath}.${ri}`;
      if (!Array.isArray(ring)) return fail('malformed', rPath);
      count += ring.length;
      if (count > MAX_POSITIONS) return fail('too_many_positions', rPath);
      if (ring.length < 4) return fail('too_few_positions', rPath);
      const positions: Ring = [];
      for (const [i, pos] of ring.entries()) {
        if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3) return fail('malformed', `${rPath}.${i}`);
        if (!pos.every((n) => typeof n === 'number' && Number.isFinite(n))) return fail('not_a_number', `${rPath}.${i}`);
        const [lon, lat] = pos as number[] as [number, number];
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return fail('out_of_range', `${rPath}.${i}`);
        positions.push([lon, lat]);
      }
      const first = positions[0]!;
      const last = positions[positions.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) return fail('ring_not_closed', rPath);
      if (ri === 0 && Math.abs(ringAreaM2(positions)) < 1e-6) return fail('degenerate', rPath);
      rings.push(positions);
    }
    out.push(rings);
  }
  return { ok: true, geometry: g.type === 'Polygon' ? { type: 'Polygon', coordinates: out[0]! } : { type: 'MultiPolygon', coordinates: out } };
}

export const polygonsOfPlot = (g: PlotGeometry): PolygonCoords[] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/**
 * Signed spherical area of a ring in m² (the formula of Chamberlain & Duquette, as in d3 and Turf): good to a
 * fraction of a per cent at city scale. Positive for clockwise rings; callers take the absolute value.
 */
function ringAreaM2(ring: Ring): number {
  let sum = 0;
  const n = ring.length - 1; // the last position repeats the first
  if (n < 3) return 0;
  for (let i = 0; i < n; i++) {
    const prev = ring[(i + n - 1) % n]!;
    const next = ring[(i + 1) % n]!;
    sum += (next[0] - prev[0]) * RAD * Math.sin(ring[i]![1] * RAD);
  }
  return (sum * R * R) / 2;
}

/** The area in m²: outer rings minus their holes. */
export function areaM2(g: PlotGeometry): number {
  let total = 0;
  for (const [outer, ...holes] of polygonsOfPlot(g)) {
    total += Math.abs(ringAreaM2(outer!)) - holes.reduce((s, h) => s + Math.abs(ringAreaM2(h)), 0);
  }
  return Math.max(0, total);
}

export interface BBox { minLon: number; minLat: number; maxLon: number; maxLat: number }

export function bbox(g: PlotGeometry): BBox {
  const b = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const poly of polygonsOfPlot(g)) {
    for (const [lon, lat] of poly[0]!) {
      b.minLon = Math.min(b.minLon, lon); b.maxLon = Math.max(b.maxLon, lon);
      b.minLat = Math.min(b.minLat, lat); b.maxLat = Math.max(b.maxLat, lat);
    }
  }
  return b;
}

/**
 * The area-weighted centre (centroid). Computed in a local plane (x = lon·cos φ₀, y = lat): an affine map of
 * lon/lat, so the centroid is exact for that projection, and at plot scale the projection's error is negligible.
 * Holes count negatively. A degenerate outline falls back to the mean of its outer positions.
 */
export function centroid(g: PlotGeometry): { lat: number; lon: number } {
  const b = bbox(g);
  const k = Math.cos(((b.minLat + b.maxLat) / 2) * RAD);
  let a = 0; let cx = 0; let cy = 0;
  for (const poly of polygonsOfPlot(g)) {
    for (const [ri, ring] of poly.entries()) {
      // Outer rings add, holes subtract, whatever their winding.
      const ringA = planarSignedArea(ring, k);
      const sign = (ri === 0 ? 1 : -1) * Math.sign(ringA || 1);
      for (let i = 0; i < ring.length - 1; i++) {
        // Relative to the box's corner: products of large coordinates would lose the digits that matter.
        const [x0, y0] = [(ring[i]![0] - b.minLon) * k, ring[i]![1] - b.minLat];
        const [x1, y1] = [(ring[i + 1]![0] - b.minLon) * k, ring[i + 1]![1] - b.minLat];
        const cross = x0 * y1 - x1 * y0;
        a += sign * cross / 2;
        cx += sign * (x0 + x1) * cross / 6;
        cy += sign * (y0 + y1) * cross / 6;
      }
    }
  }
  if (Math.abs(a) < 1e-18) {
    const outer = polygonsOfPlot(g)[0]![0]!.slice(0, -1);
    return { lon: outer.reduce((s, p) => s + p[0], 0) / outer.length, lat: outer.reduce((s, p) => s + p[1], 0) / outer.length };
  }
  return { lon: b.minLon + cx / a / k, lat: b.minLat + cy / a };
}

function planarSignedArea(ring: Ring, k: number): number {
  const [ox, oy] = ring[0]!;
  let s = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    s += (ring[i]![0] - ox) * k * (ring[i + 1]![1] - oy) - (ring[i + 1]![0] - ox) * k * (ring[i]![1] - oy);
  }
  return s / 2;
}

function inRing(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies inside the outline (inside an outer ring and in none of its holes). */
export function containsPoint(g: PlotGeometry, lat: number, lon: number): boolean {
  return polygonsOfPlot(g).some(([outer, ...holes]) => inRing(outer!, lon, lat) && !holes.some((h) => inRing(h, lon, lat)));
}

/** Great-circle distance in metres (haversine). */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a = Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lon2 - lon1) * RAD) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Everything a plot row keeps beside its outline. */
export function derivedOf(g: PlotGeometry) {
  const c = centroid(g);
  const b = bbox(g);
  return { centerLat: c.lat, centerLon: c.lon, minLat: b.minLat, minLon: b.minLon, maxLat: b.maxLat, maxLon: b.maxLon, areaM2: areaM2(g) };
}
