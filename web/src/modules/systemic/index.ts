// The staff pages of systemic problems: the list and one problem. A chunk of their own (see app/routes.tsx), loaded
// with the 'staff' and 'systemic' message catalogs.
import './systemic.css';
export { SystemicProblemsPage } from './SystemicProblemsPage.js';
export { SystemicProblemPage } from './SystemicProblemPage.js';
