/**
 * The monthly trend of a service as three small charts in plain SVG (no chart library; this file is its own lazy
 * chunk): appeals received and answered (bars), answered on time (%, a line) and the average rating (a line).
 * The charts are pictures of the table that follows them on the page, so screen readers skip them and read the
 * table; colours are never the only cue (a legend names each series, and lines carry point marks).
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMonth, formatMonthShort, formatNumber, formatPct, formatRating } from './format.js';
import type { ServiceScorecard } from './shared.js';

type Trend = ServiceScorecard['trend'];

/** The bars chart spans the width; the two line charts sit side by side on wide screens, so they are narrower. */
const WIDE = 720;
const NARROW = 420;
const H = 230;
const M = { left: 48, right: 14, top: 14, bottom: 44 };
const PLOT_H = H - M.top - M.bottom;
const plotW = (w: number) => w - M.left - M.right;

export function TrendChart({ trend }: { trend: Trend }) {
  const { t } = useTranslation('resident');
  if (!trend.length) return <p>{t('scorecards.trend.empty')}</p>;
  return (
    <div className="sc-charts">
      <BarsChart trend={trend} />
      <LineChart trend={trend} title={t('scorecards.trend.onTime')} pick={(f) => f.onTimePct} min={0} max={100} ticks={[0, 25, 50, 75, 100]} kind="pct" />
      <LineChart trend={trend} title={t('scorecards.trend.rating')} pick={(f) => f.averageRating} min={1} max={5} ticks={[1, 2, 3, 4, 5]} kind="rating" />
      <p className="visually-hidden">{t('scorecards.trend.seeTable')}</p>
    </div>
  );
}

/** A round upper bound for counts and its ticks: 0, ¼, ½, ¾, 1 of it. */
function countScale(max: number): number[] {
  if (max <= 4) return [0, 1, 2, 3, 4];
  const step = niceStep(max / 4);
  const top = Math.ceil(max / step) * step;
  const out: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(v);
  return out;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const n = raw / power;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * power;
}

/** x of the middle of a month's band. */
const bandX = (w: number, i: number, n: number) => M.left + (plotW(w) / n) * (i + 0.5);

/** The frame every chart shares: horizontal grid lines with their labels, and the months below. */
function Axes({ w, trend, ticks, y, label }: { w: number; trend: Trend; ticks: number[]; y: (v: number) => number; label: (v: number) => string }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const n = trend.length;
  const every = Math.ceil(n / (w === WIDE ? 12 : 7));
  return (
    <>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={M.left} x2={w - M.right} y1={y(v)} y2={y(v)} className="sc-grid" />
          <text x={M.left - 6} y={y(v)} dy="0.32em" textAnchor="end" className="sc-axis">{label(v)}</text>
        </g>
      ))}
      {trend.map(({ month }, i) => {
        if (i % every !== 0 && i !== n - 1) return null;
        const showYear = i === 0 || month.endsWith('-01');
        return (
          <text key={month} x={bandX(w, i, n)} y={H - M.bottom + 16} textAnchor="middle" className="sc-axis">
            {formatMonthShort(month, lang)}
            {showYear ? <tspan x={bandX(w, i, n)} dy="1.2em">{month.slice(0, 4)}</tspan> : null}
          </text>
        );
      })}
    </>
  );
}

function ChartFrame({ w, title, legend, children }: { w: number; title: string; legend?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <figure className="sc-chart" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      {legend}
      <svg viewBox={`0 0 ${w} ${H}`} aria-hidden="true" focusable="false" preserveAspectRatio="xMidYMid meet">{children}</svg>
    </figure>
  );
}

function BarsChart({ trend }: { trend: Trend }) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const n = trend.length;
  const ticks = countScale(Math.max(1, ...trend.map((r) => Math.max(r.figures.received, r.figures.answered))));
  const top = ticks.at(-1)!;
  const y = (v: number) => M.top + PLOT_H - (v / top) * PLOT_H;
  const band = plotW(WIDE) / n;
  const bar = Math.max(2, Math.min(18, band * 0.36));
  const legend = (
    <ul className="sc-legend">
      <li><span className="sc-swatch sc-received" aria-hidden="true" />{t('scorecards.col.received')}</li>
      <li><span className="sc-swatch sc-answered" aria-hidden="true" />{t('scorecards.col.answered')}</li>
    </ul>
  );
  return (
    <ChartFrame w={WIDE} title={t('scorecards.trend.volume')} legend={legend}>
      <Axes w={WIDE} trend={trend} ticks={ticks} y={y} label={(v) => formatNumber(v, lang)} />
      {trend.map(({ month, figures: f }, i) => {
        const x = bandX(WIDE, i, n);
        return (
          <g key={month}>
            <rect className="sc-received" x={x - bar - 1} y={y(f.received)} width={bar} height={y(0) - y(f.received)}>
              <title>{`${formatMonth(month, lang)}: ${t('scorecards.col.received')} ${formatNumber(f.received, lang)}`}</title>
            </rect>
            <rect className="sc-answered" x={x + 1} y={y(f.answered)} width={bar} height={y(0) - y(f.answered)}>
              <title>{`${formatMonth(month, lang)}: ${t('scorecards.col.answered')} ${formatNumber(f.answered, lang)}`}</title>
            </rect>
          </g>
        );
      })}
    </ChartFrame>
  );
}

function LineChart({ trend, title, pick, min, max, ticks, kind }: {
  trend: Trend; title: string; pick: (f: Trend[number]['figures']) => number | null; min: number; max: number; ticks: number[]; kind: 'pct' | 'rating';
}) {
  const { t, i18n } = useTranslation('resident');
  const lang = i18n.language;
  const n = trend.length;
  const y = (v: number) => M.top + PLOT_H - ((v - min) / (max - min)) * PLOT_H;
  const label = (v: number) => (kind === 'pct' ? formatPct(v, lang) : formatRating(v, lang));
  // A month without answers (or ratings) breaks the line rather than pretending to be zero.
  const segments: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  trend.forEach(({ figures }, i) => {
    const v = pick(figures);
    if (v === null) { if (current.length) segments.push(current); current = []; return; }
    current.push({ x: bandX(NARROW, i, n), y: y(v) });
  });
  if (current.length) segments.push(current);
  const hasData = segments.length > 0;
  return (
    <ChartFrame w={NARROW} title={title}>
      <Axes w={NARROW} trend={trend} ticks={ticks} y={y} label={(v) => formatNumber(v, lang)} />
      {segments.map((pts, k) => (
        <polyline key={k} className={`sc-line sc-line-${kind}`} points={pts.map((p) => `${p.x},${p.y}`).join(' ')} />
      ))}
      {trend.map(({ month, figures }, i) => {
        const v = pick(figures);
        return v === null ? null : (
          <circle key={month} className={`sc-point sc-line-${kind}`} cx={bandX(NARROW, i, n)} cy={y(v)} r={4}>
            <title>{`${formatMonth(month, lang)}: ${label(v)}`}</title>
          </circle>
        );
      })}
      {!hasData ? <text x={M.left + plotW(NARROW) / 2} y={M.top + PLOT_H / 2} textAnchor="middle" className="sc-axis">{t('scorecards.noData')}</text> : null}
    </ChartFrame>
  );
}
