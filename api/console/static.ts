/**
 * Serves the built web console (console/dist) at /console, with the SPA fallback to
 * index.html. Without a build, /console says how to make one instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist', import.meta.url));

export function consoleRouter(dist = CONSOLE_DIST): express.Router {
  const router = express.Router();
  const index = join(dist, 'index.html');
  router.use('/console', (req, res, next) => {
    // Checked per request so a build made while the API runs is picked up.
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('console not built: run npm run build:console');
      return;
    }
    next();
  });
  router.use('/console', express.static(dist, { index: 'index.html', fallthrough: true, maxAge: '1h', setHeaders: noCacheForIndex }));
  router.get(/^\/console(\/.*)?$/, (req, res, next) => {
    if (req.method !== 'GET' || /\.[a-z0-9]+$/i.test(req.path)) {
      next();
      return;
    }
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

function noCacheForIndex(res: express.Response, path: string): void {
  if (path.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
}
