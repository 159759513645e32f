/**
 * Systemic-problems eval (`npm run eval:systemic`): a generated registry with planted problems and near-misses
 * (systemic-dataset.ts), the batch detector over it, and detected problems matched to planted ones (see `matches`);
 * anything the detector finds in the background counts against precision.
 *
 *   npm run eval:systemic -- [--appeals 300000] [--seed 42] [--planted 10] [--incremental]
 *
 * Prints one JSON line on stdout; --incremental also checks that eight incremental steps give the batch result.
 */
import { parseArgs } from 'node:util';
import { createDetectorState, detectSystemicProblems, updateDetector } from '../src/modules/systemic/systemic-detector.js';
import { defaultSystemicParams, type SystemicProblem } from '../src/modules/systemic/systemic-params.js';
import { baselineOf } from '../src/modules/systemic/systemic-rules.js';
import { generateDataset, type Planted } from './systemic-dataset.js';

const { values: args } = parseArgs({
  options: {
    appeals: { type: 'string', default: '300000' },
    seed: { type: 'string', default: '42' },
    planted: { type: 'string', default: '10' },
    incremental: { type: 'boolean', default: false },
  },
});

const params = defaultSystemicParams;
const data = generateDataset({ appeals: Number(args.appeals), seed: Number(args.seed), plantedPerKind: Number(args.planted), params });
const started = performance.now();
// The baseline a nightly batch would store; timed with the run since the batch computes it.
const baseline = baselineOf(data.records, params);
const detected = detectSystemicProblems(data.records, params, data.asOf, baseline);
const seconds = (performance.now() - started) / 1000;

/**
 * A detected problem matches a planted one of its category when it holds most of the planted appeals, and most of its
 * own members are the problem's: planted, or background appeals of the same category, place and time (contextIds —
 * indistinguishable reports of the same thing, neither required nor held against it).
 */
const matches = (d: SystemicProblem, q: Planted) => {
  if (d.categoryId !== q.categoryId) return false;
  const members = new Set(d.memberIds);
  const shared = q.memberIds.filter((id) => members.has(id)).length;
  const context = (q.contextIds ?? []).filter((id) => members.has(id)).length;
  return shared * 2 > q.memberIds.length && (shared + context) * 2 > d.memberIds.length;
};
const found = data.planted.filter((q) => detected.some((d) => matches(d, q)));
const correct = detected.filter((d) => data.planted.some((q) => matches(d, q)));
const precision = detected.length === 0 ? 0 : correct.length / detected.length;
const recall = found.length / data.planted.length;
const round = (x: number) => Math.round(x * 1000) / 1000;

for (const q of data.planted.filter((x) => !found.includes(x))) console.error('missed', q.kind, q.categoryId, q.memberIds.length);
for (const d of detected.filter((x) => !correct.includes(x))) {
  console.error('extra', d.kinds.join('+'), d.categoryId, d.cells.length, 'cells', d.memberIds.length, 'appeals', d.distinctApplicants, 'applicants');
}

const line: Record<string, unknown> = {
  eval: 'systemic', appeals: data.records.length, seed: Number(args.seed), planted: data.planted.length, detected: detected.length,
  precision: round(precision), recall: round(recall), seconds: round(seconds),
};
if (args.incremental) {
  // The same registry fed in eight chunks as the clock moves (baseline frozen) must end where the batch run ends.
  const state = createDetectorState(params, baseline);
  const t0 = performance.now();
  const n = data.records.length;
  let last: SystemicProblem[] = [];
  for (let i = 0; i < 8; i++) {
    const chunk = data.records.slice(Math.floor((n * i) / 8), Math.floor((n * (i + 1)) / 8));
    last = updateDetector(state, chunk, i === 7 ? data.asOf : chunk[chunk.length - 1]?.registeredAt);
  }
  const key = (ps: SystemicProblem[]) => JSON.stringify(ps.map((p) => [p.id, p.kinds, [...p.memberIds].sort(), p.score, p.trend]).sort());
  line.incremental_equal = key(last) === key(detected);
  line.incremental_seconds = round((performance.now() - t0) / 1000);
}
console.log(JSON.stringify(line));
