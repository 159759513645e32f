// Prints the gzipped size of the JavaScript a resident's first page load needs: the entry chunk and the chunks it
// imports statically (not the lazy ones). Fails the build past the budget.
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;

export function gzipSizeReport() {
  return {
    name: 'shaar-gzip-size-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry) return;
      const seen = new Set();
      const visit = (name) => {
        if (seen.has(name)) return;
        seen.add(name);
        const chunk = bundle[name];
        if (chunk?.type === 'chunk') chunk.imports.forEach(visit);
      };
      visit(entry.fileName);
      let bytes = 0;
      for (const name of seen) bytes += gzipSync(bundle[name].code).length;
      const kb = Math.round((bytes / 1024) * 10) / 10;
      const line = JSON.stringify({ figure: 'initial_js_gzip_kb', value: kb, budget_kb: BUDGET_KB, chunks: seen.size });
      process.stdout.write(`\n${line}\n`);
      if (kb > BUDGET_KB) this.error(`initial JavaScript is ${kb} KB gzipped, over the ${BUDGET_KB} KB budget`);
    },
  };
}
