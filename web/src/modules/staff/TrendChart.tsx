/**
 * A service's monthly trend as a bar chart: answers per month, on time (solid) and late (light), with the on-time
 * share above each bar. Plain SVG, no chart library; a chunk of its own, loaded when a trend is shown. The same
 * figures are in the table under it, which is what screen readers use.
 */
import { useTranslation } from 'react-i18next';
import type { ServiceScorecard } from './oversight.js';
import { intlLocale } from './shared.js';

const HEIGHT = 180;
const BAR = 26;
const GAP = 14;
const TOP = 22;
const BOTTOM = 40;

export default function TrendChart({ trend, monthLabel }: { trend: ServiceScorecard['trend']; monthLabel: (m: string) => string }) {
  const { t, i18n } = useTranslation('staff');
  const percent = new Intl.NumberFormat(intlLocale(i18n.language), { style: 'percent', maximumFractionDigits: 0 });
  const max = Math.max(1, ...trend.map((r) => r.figures.answered));
  const width = trend.length * (BAR + GAP) + GAP;
  const scale = (n: number) => (n / max) * (HEIGHT - TOP - BOTTOM);
  return (
    <figure className="trend-chart">
      <div className="trend-scroll">
        <svg role="img" aria-label={t('scorecards.chartLabel')} width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`}>
          <line x1={0} x2={width} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} className="axis" />
          {trend.map((row, i) => {
            const x = GAP + i * (BAR + GAP);
            const onTime = scale(row.figures.answeredOnTime);
            const late = scale(row.figures.answered - row.figures.answeredOnTime);
            const base = HEIGHT - BOTTOM;
            const [year, month] = row.month.split('-');
            return (
              <g key={row.month}>
                <rect x={x} y={base - onTime} width={BAR} height={onTime} className="bar-on-time" />
                <rect x={x} y={base - onTime - late} width={BAR} height={late} className="bar-late" />
                {row.figures.onTimePct !== null ? (
                  <text x={x + BAR / 2} y={base - onTime - late - 6} textAnchor="middle" className="bar-label">{percent.format(row.figures.onTimePct / 100)}</text>
                ) : null}
                <text x={x + BAR / 2} y={base + 16} textAnchor="middle" className="bar-month">{month}</text>
                {i === 0 || month === '01' ? <text x={x + BAR / 2} y={base + 32} textAnchor="middle" className="bar-month">{year}</text> : null}
                <title>{monthLabel(row.month)}</title>
              </g>
            );
          })}
        </svg>
      </div>
      <figcaption className="trend-legend">
        <span><span className="swatch swatch-on-time" aria-hidden="true" /> {t('scorecards.legendOnTime')}</span>
        <span><span className="swatch swatch-late" aria-hidden="true" /> {t('scorecards.legendLate')}</span>
      </figcaption>
    </figure>
  );
}
