import type { Plugin } from 'vite';
export function gzipSizeReport(): Plugin;
