/**
 * The headline figures of the selection, each with its change against the comparison period; the number of appeals
 * opens the appeals behind it.
 */
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PeriodText } from '../scorecards/shared.js';
import type { Summary } from './data.js';
import { Change, Figure, HEADLINE } from './shared.js';

export function Headline({ summary, drillTo }: { summary: Summary; drillTo: string }) {
  const { t } = useTranslation('analytics');
  const { figures, compareFigures, comparePeriod } = summary;
  return (
    <section aria-labelledby="an-headline" className="card an-headline">
      <h2 id="an-headline">{t('headline.heading')}</h2>
      <p className="hint">
        {comparePeriod ? <>{t('headline.comparedWith')} <PeriodText {...comparePeriod} /></> : t('headline.noComparison')}
      </p>
      <dl className="sc-tiles an-tiles">
        {HEADLINE.map(({ key, kind, change }) => {
          const value = figures[key] as number | null;
          return (
            <div className="sc-tile" key={key} data-figure={key}>
              <dt>{t(`figure.${key}`)}</dt>
              <dd>
                <span className="sc-tile-value">
                  {key === 'appeals' && value ? <Link to={drillTo} className="an-drill" data-drill="headline"><Figure value={value} kind={kind} /></Link> : <Figure value={value} kind={kind} />}
                </span>
                {compareFigures ? <span className="sc-tile-note"><Change now={value} before={compareFigures[key] as number | null} kind={kind} change={change} /></span> : null}
              </dd>
            </div>
          );
        })}
      </dl>
      <p><Link to={drillTo}>{t('headline.seeAppeals')}</Link></p>
    </section>
  );
}
