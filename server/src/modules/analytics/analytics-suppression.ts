/**
 * Small-cell suppression for the figures by groups of residents (age band, gender, social group), so that nobody can
 * be singled out from a table:
 *
 * - primary: a count below the threshold (5) is not shown — zero included, so an empty cell looks like a small one;
 * - secondary: every row and every column of a table is treated as a line whose total a reader may know (it is shown
 *   elsewhere, or can be asked for with other filters). If a line hides exactly one non-zero cell, or hides cells that
 *   add up to fewer than the threshold, the total minus the shown cells would give them away, so the smallest shown
 *   cell of the line is hidden too — repeated until no line gives anything away.
 *
 * Hidden cells that are all zero give nothing away (a reader learns only that nobody is there), so they need no
 * partner. Ratios (on time, ratings, solved) are shown only where the cell's count is shown and their own base
 * (answers, ratings) reaches the threshold.
 */

export const SUPPRESSION_THRESHOLD = 5;

/** The table's counts with the hidden ones as null (rows × columns; a list is a table of one row). */
export function suppressTable(counts: readonly (readonly number[])[], threshold = SUPPRESSION_THRESHOLD): (number | null)[][] {
  const hidden = counts.map((row) => row.map((n) => n < threshold));
  const lines: [number, number][][] = [
    ...counts.map((row, i) => row.map((_, j) => [i, j] as [number, number])),
    ...(counts[0] ?? []).map((_, j) => counts.map((_, i) => [i, j] as [number, number])),
  ];
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      const off = line.filter(([i, j]) => hidden[i]![j]);
      const sum = off.reduce((s, [i, j]) => s + counts[i]![j]!, 0);
      const revealing = sum > 0 && (off.length === 1 || sum < threshold);
      if (!revealing) continue;
      let smallest: [number, number] | null = null;
      for (const [i, j] of line) {
        if (!hidden[i]![j] && (!smallest || counts[i]![j]! < counts[smallest[0]]![smallest[1]]!)) smallest = [i, j];
      }
      if (!smallest) continue;
      hidden[smallest[0]]![smallest[1]] = true;
      changed = true;
    }
  }
  return counts.map((row, i) => row.map((n, j) => (hidden[i]![j] ? null : n)));
}

/** A list of counts whose total is shown: suppressed as one line. */
export function suppressList(counts: readonly number[], threshold = SUPPRESSION_THRESHOLD): (number | null)[] {
  return suppressTable([counts], threshold)[0] ?? [];
}

/** A count shown alone (a total): null below the threshold. */
export function suppressCount(n: number, threshold = SUPPRESSION_THRESHOLD): number | null {
  return n < threshold ? null : n;
}

/** A ratio, shown only when its cell is shown and its base reaches the threshold. */
export function suppressRatio(value: number | null, cell: number | null, base: number, threshold = SUPPRESSION_THRESHOLD): number | null {
  return cell === null || base < threshold ? null : value;
}
