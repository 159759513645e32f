/**
 * Appeals month by month as bars, in plain SVG (a lazy chunk of its own, no chart library). A picture of the table
 * that follows it on the page: screen readers skip it; each bar still names its month and value on hover.
 * Texts come from the caller, so the staff dashboard and the public one (different catalogs) share it.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMonth, formatMonthShort, formatNumber } from '../scorecards/format.js';

const W = 760;
const H = 240;
const M = { left: 52, right: 12, top: 14, bottom: 44 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

function niceTicks(max: number): number[] {
  if (max <= 4) return [0, 1, 2, 3, 4];
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const n = raw / power;
  const step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * power;
  const out: number[] = [];
  for (let v = 0; v <= Math.ceil(max / step) * step + step / 2; v += step) out.push(v);
  return out;
}

export default function MonthChart({ rows, title, seeTable }: { rows: { month: string; value: number }[]; title: string; seeTable: string }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const id = useId();
  const ticks = niceTicks(Math.max(1, ...rows.map((r) => r.value)));
  const top = ticks.at(-1)!;
  const y = (v: number) => M.top + PLOT_H - (v / top) * PLOT_H;
  const n = Math.max(1, rows.length);
  const band = PLOT_W / n;
  const bar = Math.max(2, Math.min(28, band * 0.7));
  const every = Math.ceil(n / 12);
  return (
    <figure className="sc-chart an-chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMid meet">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} className="sc-grid" />
            <text x={M.left - 6} y={y(v)} dy="0.32em" textAnchor="end" className="sc-axis">{formatNumber(v, lang)}</text>
          </g>
        ))}
        {rows.map((r, i) => {
          const x = M.left + band * (i + 0.5);
          const showYear = i === 0 || r.month.endsWith('-01');
          return (
            <g key={r.month}>
              <rect className="an-bar" x={x - bar / 2} y={y(r.value)} width={bar} height={y(0) - y(r.value)}>
                <title>{`${formatMonth(r.month, lang)}: ${formatNumber(r.value, lang)}`}</title>
              </rect>
              {i % every === 0 || i === n - 1 ? (
                <text x={x} y={H - M.bottom + 16} textAnchor="middle" className="sc-axis">
                  {formatMonthShort(r.month, lang)}
                  {showYear ? <tspan x={x} dy="1.2em">{r.month.slice(0, 4)}</tspan> : null}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <p className="visually-hidden">{seeTable}</p>
    </figure>
  );
}
