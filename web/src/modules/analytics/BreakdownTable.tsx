/**
 * One breakdown as a table: a row per value of the dimension with its appeals (a link to them), share, change
 * against the comparison, answers, on-time share, days to answer and ratings; the selection's total at the foot.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { BreakdownRow, Figures } from './data.js';
import { Change, Figure, FigureLink, rowLabel } from './shared.js';
import type { CubeDimension } from './selection.js';

export type Column = 'appeals' | 'share' | 'change' | 'answered' | 'onTimePct' | 'averageDays' | 'averageRating' | 'solvedPct';
export const ALL_COLUMNS: readonly Column[] = ['appeals', 'share', 'change', 'answered', 'onTimePct', 'averageDays', 'averageRating', 'solvedPct'];

export function BreakdownTable({ by, rows, total, compared, caption, drill, columns = ALL_COLUMNS, captionHidden = false }: {
  by: CubeDimension; rows: BreakdownRow[];
  /** The selection's figures for the foot, if there is one. */
  total: Figures | null;
  /** Whether the rows carry a comparison period's figures (the "change" column). */
  compared: boolean;
  caption: string; drill: (by: CubeDimension, key: string) => string | null; columns?: readonly Column[];
  /** The caption for screen readers only, where a heading just above says the same. */
  captionHidden?: boolean;
}) {
  const { t, i18n } = useTranslation('analytics');
  const lang = i18n.language;
  const captionId = useId();
  const shown = columns.filter((c) => c !== 'change' || compared);
  const cell = (c: Column, f: Figures, before: Figures | null, to: string | null) => {
    switch (c) {
      case 'appeals': return <FigureLink value={f.appeals} kind="count" to={to} />;
      case 'share': return <Figure value={f.share} kind="pct" />;
      case 'change': return <Change now={f.appeals} before={before?.appeals} kind="count" change="relative" />;
      case 'answered': return <Figure value={f.answered} kind="count" />;
      case 'onTimePct': return <Figure value={f.onTimePct} kind="pct" />;
      case 'averageDays': return <Figure value={f.averageDays} kind="days" />;
      case 'averageRating': return <Figure value={f.averageRating} kind="rating" />;
      case 'solvedPct': return <Figure value={f.solvedPct} kind="pct" />;
    }
  };
  return (
    <div className="table-wrap" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="figures-table an-table" data-by={by}>
        <caption id={captionId} className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t(`by.${by}`)}</th>
            {shown.map((c) => <th key={c} scope="col" className="num">{t(`col.${c}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{rowLabel(t, lang, by, r.key, r.label)}</th>
              {shown.map((c) => <td key={c} className="num">{cell(c, r.figures, r.compareFigures, drill(by, r.key))}</td>)}
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row">{t('total')}</th>
              {shown.map((c) => <td key={c} className="num">{c === 'change' ? null : cell(c, total, null, null)}</td>)}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}
