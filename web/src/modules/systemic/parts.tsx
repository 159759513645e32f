/**
 * Small pieces of the systemic-problem pages: the score (0–1, shown out of 100), the status badge, the rules met,
 * and the monthly trend as a bar chart (plain SVG) whose figures are also in a table for screen readers.
 */
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.js';
import { formatMonth, formatMonthShort } from '../scorecards/format.js';

/** The score out of 100: easier to read and compare than 0.734. */
export function Score({ value }: { value: number }) {
  const { i18n } = useTranslation();
  return <>{formatNumber(Math.round(value * 100), i18n.language)}</>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation('systemic');
  return <span className={`badge sp-status sp-status-${status}`}>{t(`status.${status}`)}</span>;
}

export function KindList({ kinds }: { kinds: readonly string[] }) {
  const { t } = useTranslation('systemic');
  return <>{kinds.map((k) => t(`kind.${k}`)).join(', ')}</>;
}

const HEIGHT = 170;
const BAR = 22;
const GAP = 10;
const TOP = 20;
const BOTTOM = 40;

/** Appeals per month, from the first month to the last (empty months included, so the bars are evenly spaced). */
export function MonthlyBars({ months, label }: { months: readonly { month: string; appeals: number }[]; label: string }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const max = Math.max(1, ...months.map((m) => m.appeals));
  const width = months.length * (BAR + GAP) + GAP;
  const base = HEIGHT - BOTTOM;
  const scale = (n: number) => (n / max) * (base - TOP);
  return (
    <figure className="trend-chart sp-chart">
      <div className="trend-scroll">
        <svg role="img" aria-label={label} width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`}>
          <line x1={0} x2={width} y1={base} y2={base} className="axis" />
          {months.map((m, i) => {
            const x = GAP + i * (BAR + GAP);
            const h = scale(m.appeals);
            const [year, month] = m.month.split('-');
            return (
              <g key={m.month}>
                <rect x={x} y={base - h} width={BAR} height={h} className="bar-on-time" />
                {m.appeals > 0 ? <text x={x + BAR / 2} y={base - h - 5} textAnchor="middle" className="bar-label">{formatNumber(m.appeals, lang)}</text> : null}
                <text x={x + BAR / 2} y={base + 15} textAnchor="middle" className="bar-month">{formatMonthShort(m.month, lang)}</text>
                {i === 0 || month === '01' ? <text x={x + BAR / 2} y={base + 31} textAnchor="middle" className="bar-month">{year}</text> : null}
                <title>{`${formatMonth(m.month, lang)}: ${formatNumber(m.appeals, lang)}`}</title>
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
