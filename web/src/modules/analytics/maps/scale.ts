/**
 * The colour classes of the maps: five steps of one hue, light to dark, with breaks at the quantiles of the values
 * (so a few busy places do not wash every other place out). The legend writes each class's range, so the colour is
 * never the only way to read a place's figure.
 */

/** Light to dark; the darkest still takes a white outline, the lightest a dark one (see the maps' styles). */
export const COLOURS = ['#fde6c4', '#f9b27a', '#ee7d4f', '#c9472f', '#8c1d18'] as const;

export interface ColourClass { from: number; to: number; colour: string }

/** Up to five classes covering the values (fewer when there are few distinct values). */
export function colourClasses(values: number[]): ColourClass[] {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!sorted.length) return [];
  const breaks: number[] = [];
  for (let i = 1; i <= COLOURS.length; i++) {
    const v = sorted[Math.min(sorted.length - 1, Math.ceil((i / COLOURS.length) * sorted.length) - 1)]!;
    if (!breaks.length || v > breaks.at(-1)!) breaks.push(v);
  }
  const offset = COLOURS.length - breaks.length;
  return breaks.map((to, i) => ({
    from: i === 0 ? sorted[0]! : breaks[i - 1]! + (Number.isInteger(breaks[i - 1]!) ? 1 : 0.1),
    to, colour: COLOURS[offset + i]!,
  }));
}

export function colourOf(classes: ColourClass[], value: number): string {
  return (classes.find((c) => value <= c.to) ?? classes.at(-1))?.colour ?? COLOURS[0];
}
