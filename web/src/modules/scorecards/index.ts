/** The public scorecard pages: a lazy chunk (routes.tsx), with the trend chart a further chunk of its own. */
export { ScorecardsPage } from './ScorecardsPage.js';
export { ServiceScorecardPage } from './ServiceScorecardPage.js';
