import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { gzipSizeReport } from './build/gzip-size-report.js';

export default defineConfig({
  plugins: [react(), gzipSizeReport()],
  build: {
    target: 'es2022',
    sourcemap: true,
    // The resident pages' initial JavaScript has a budget (≤ 200 KB gzipped); staff and admin pages, the map
    // and charts are split into chunks loaded on demand.
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
