/** Reading import files into rows: numbering, CSV dialects and refusals of what is not an import file at all. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { MAX_IMPORT_PLOTS, rawFromCsv, rawFromGeoJson } from './plot-import.js';

const code = (f: () => unknown) => {
  try { f(); } catch (err) { return err instanceof AppError ? err.code : 'other'; }
  return null;
};

describe('rawFromGeoJson', () => {
  it('numbers features from 1 and marks what is not a Feature', () => {
    const rows = rawFromGeoJson({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { cadastral_number: 'A-1' }, geometry: { type: 'Polygon', coordinates: [] } },
      { type: 'Point', coordinates: [1, 2] },
      { type: 'Feature', properties: null, geometry: null },
    ] });
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3]);
    expect(rows[0]!.props).toEqual({ cadastral_number: 'A-1' });
    expect(rows[1]!.props.__notFeature).toBe(true);
    expect(rows[2]!.props).toEqual({});
  });

  it('refuses a document that is not a FeatureCollection, or too large a one', () => {
    expect(code(() => rawFromGeoJson({ type: 'Feature' }))).toBe('import_format');
    expect(code(() => rawFromGeoJson([]))).toBe('import_format');
    expect(code(() => rawFromGeoJson({ type: 'FeatureCollection', features: new Array(MAX_IMPORT_PLOTS + 1).fill(null) }))).toBe('import_too_many');
  });
});

describe('rawFromCsv', () => {
  it('numbers rows by their line (the header is 1), skips blank lines, keeps the geometry text apart', () => {
    const rows = rawFromCsv('\uFEFFCadastral_Number,Address,geometry\r\n1-1-1,"ул. Чуй, 1","{""type"":""Polygon""}"\r\n,,\r\n1-1-2,ул. Чуй 3,\r\n');
    expect(rows.map((r) => r.number)).toEqual([2, 4]);
    expect(rows[0]).toMatchObject({ props: { cadastral_number: '1-1-1', address: 'ул. Чуй, 1' }, geometryText: '{"type":"Polygon"}' });
    expect(rows[1]!.geometryText).toBe('');
  });

  it('reads semicolon-separated files (as spreadsheets save them in ru/ky locales)', () => {
    const rows = rawFromCsv('cadastral_number;address;area_m2\n1-1-1;ул. Чуй, 1;1200,5\n');
    expect(rows[0]!.props).toEqual({ cadastral_number: '1-1-1', address: 'ул. Чуй, 1', area_m2: '1200,5' });
  });

  it('refuses a file without a cadastral_number column, or with an unterminated quote', () => {
    expect(code(() => rawFromCsv('a,b\n1,2\n'))).toBe('import_format');
    expect(code(() => rawFromCsv('cadastral_number,address\n1-1-1,"open\n'))).toBe('import_format');
  });
});
