/**
 * Serves the web app's production build (web/dist) at /. Any GET for a page address that is not a file (e.g.
 * /bishkek/my/…) gets index.html, so the browser's router can show it; API addresses never do.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

export async function registerWebApp(app: FastifyInstance, root = WEB_DIST): Promise<((req: FastifyRequest, reply: FastifyReply) => boolean) | null> {
  if (!existsSync(`${root}index.html`)) return null;
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: false,
    // Hashed assets never change; index.html must always be fresh.
    setHeaders: (res, path) => {
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (req.method !== 'GET' || path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) return false;
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}
