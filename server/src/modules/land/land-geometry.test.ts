import { describe, expect, it } from 'vitest';
import { areaM2, bbox, centroid, containsPoint, haversineM, MAX_POSITIONS, validatePlotGeometry, type PlotGeometry } from './land-geometry.js';

/** A lon/lat rectangle as a closed counter-clockwise ring. */
const rect = (lon0: number, lat0: number, lon1: number, lat1: number): [number, number][] =>
  [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]];
const poly = (...rings: [number, number][][]): PlotGeometry => ({ type: 'Polygon', coordinates: rings });

describe('validatePlotGeometry', () => {
  it('accepts a closed polygon and drops a third coordinate', () => {
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [[[74.6, 42.87, 800], [74.601, 42.87], [74.601, 42.871], [74.6, 42.87, 800]]] });
    expect(r).toEqual({ ok: true, geometry: { type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 42.87], [74.601, 42.871], [74.6, 42.87]]] } });
  });

  it.each([
    [{ type: 'Point', coordinates: [74.6, 42.87] }, 'geometry_type'],
    [null, 'geometry_type'],
    [{ type: 'Polygon', coordinates: [] }, 'malformed'],
    [{ type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 42.87], [74.6, 42.87]]] }, 'too_few_positions'],
    [{ type: 'Polygon', coordinates: [rect(74.6, 42.87, 74.601, 42.871).slice(0, 4).concat([[74.6, 42.8705]])] }, 'ring_not_closed'],
    [{ type: 'Polygon', coordinates: [[[74.6, 42.87], [Number.NaN, 42.87], [74.601, 42.871], [74.6, 42.87]]] }, 'not_a_number'],
    [{ type: 'Polygon', coordinates: [[[74.6, 42.87], ['74.601', 42.87], [74.601, 42.871], [74.6, 42.87]]] }, 'not_a_number'],
    [{ type: 'Polygon', coordinates: [[[74.6, 42.87], [181, 42.87], [74.601, 42.871], [74.6, 42.87]]] }, 'out_of_range'],
    [{ type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 91], [74.601, 42.871], [74.6, 42.87]]] }, 'out_of_range'],
    [{ type: 'Polygon', coordinates: [[[74.6, 42.87], [74.601, 42.87], [74.602, 42.87], [74.6, 42.87]]] }, 'degenerate'],
    [{ type: 'MultiPolygon', coordinates: [[rect(74.6, 42.87, 74.601, 42.871)], []] }, 'malformed'],
  ])('refuses %j with %s', (input, problem) => {
    const r = validatePlotGeometry(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toBe(problem);
  });

  it('refuses more than the maximum number of positions, and says where', () => {
    const ring: [number, number][] = [];
    for (let i = 0; i < MAX_POSITIONS; i++) ring.push([74.6 + 0.001 * Math.cos((2 * Math.PI * i) / MAX_POSITIONS), 42.87 + 0.001 * Math.sin((2 * Math.PI * i) / MAX_POSITIONS)]);
    ring.push(ring[0]!);
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [ring] });
    expect(r).toEqual({ ok: false, problem: 'too_many_positions', path: 'coordinates.0' });
    expect(validatePlotGeometry({ type: 'Polygon', coordinates: [ring.slice(0, MAX_POSITIONS - 1).concat([ring[0]!])] }).ok).toBe(true);
  });
});

describe('measures', () => {
  // 0.001° × 0.001° at Bishkek's latitude: 111.195 m north–south × 111.195·cos(42.8705°) m east–west.
  const cell = poly(rect(74.6, 42.87, 74.601, 42.871));
  const expected = 111.19508 * 111.19508 * Math.cos((42.8705 * Math.PI) / 180);

  it('computes the area of a small rectangle to within 0.5 %', () => {
    expect(areaM2(cell) / expected).toBeCloseTo(1, 2);
    expect(Math.abs(areaM2(cell) - expected) / expected).toBeLessThan(0.005);
  });

  it('gives the same area whatever the winding, subtracts holes and adds the parts of a MultiPolygon', () => {
    const cw = poly(rect(74.6, 42.87, 74.601, 42.871).reverse());
    expect(areaM2(cw)).toBeCloseTo(areaM2(cell), 6);
    const withHole = poly(rect(74.6, 42.87, 74.602, 42.872), rect(74.6005, 42.8705, 74.6015, 42.8715));
    expect(areaM2(withHole) / (3 * expected)).toBeCloseTo(1, 2);
    const multi: PlotGeometry = { type: 'MultiPolygon', coordinates: [[rect(74.6, 42.87, 74.601, 42.871)], [rect(74.61, 42.87, 74.611, 42.871)]] };
    expect(areaM2(multi) / (2 * expected)).toBeCloseTo(1, 2);
  });

  it('a 1 km square near the equator is 1 km² within 1 %', () => {
    const d = 1000 / 111_195.08;
    expect(areaM2(poly(rect(0, 0, d, d))) / 1e6).toBeCloseTo(1, 2);
  });

  it('centroid: the middle of a rectangle, weighted by area for an L shape and two parts, outside a hole', () => {
    const c = centroid(cell);
    expect(c.lon).toBeCloseTo(74.6005, 9);
    expect(c.lat).toBeCloseTo(42.8705, 9);
    // Two parts: a 2×1 cell part and a 1×1 cell part; the centre leans to the bigger one.
    const multi: PlotGeometry = { type: 'MultiPolygon', coordinates: [[rect(0, 0, 0.002, 0.001)], [rect(0.01, 0, 0.011, 0.001)]] };
    expect(centroid(multi).lon).toBeCloseTo((2 * 0.001 + 1 * 0.0105) / 3, 9);
    // A square with its right half cut out by a hole: the centre moves left.
    const holed = poly(rect(0, 0, 0.004, 0.004), rect(0.002, 0, 0.004, 0.004).map(([x, y]) => [x === 0.004 ? 0.0039 : x, y === 0 ? 0.0001 : y === 0.004 ? 0.0039 : y] as [number, number]));
    expect(centroid(holed).lon).toBeLessThan(0.0015);
  });

  it('bbox, point in polygon (with holes) and distance', () => {
    const g = poly(rect(74.6, 42.87, 74.602, 42.872), rect(74.6005, 42.8705, 74.6015, 42.8715));
    expect(bbox(g)).toEqual({ minLon: 74.6, minLat: 42.87, maxLon: 74.602, maxLat: 42.872 });
    expect(containsPoint(g, 42.8702, 74.6002)).toBe(true);
    expect(containsPoint(g, 42.871, 74.601)).toBe(false); // in the hole
    expect(containsPoint(g, 42.873, 74.601)).toBe(false);
    // Ala-Too Square to Osh Bazaar, Bishkek: about 3.9 km.
    expect(haversineM(42.8766, 74.6037, 42.8747, 74.5571) / 1000).toBeCloseTo(3.8, 0);
    // One degree of latitude.
    expect(haversineM(42, 74, 43, 74)).toBeCloseTo(111_195, -1);
  });
});
