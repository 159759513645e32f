/** The centres of H3 cells, for the map's table (h3-js loads with this chunk only, never on the first page load). */
import { cellToLatLng, isValidCell } from 'h3-js';

export function cellCentres(cells: readonly string[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const c of cells) if (isValidCell(c)) out.set(c, cellToLatLng(c) as [number, number]);
  return out;
}
