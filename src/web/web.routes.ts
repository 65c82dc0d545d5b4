import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import type { App } from '../platform/app-type.js';
import type { Config } from '../platform/config.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the built UI is: WEB_DIR (config.webDir) when set, else `dist/web` seen from src/web
 * (tsx) or from dist/src/web (compiled). Looked up per request (two `existsSync` calls), so a
 * build that finishes after the server started is picked up.
 */
function webRootCandidates(config: Pick<Config, 'webDir'>): string[] {
  if (config.webDir) return [config.webDir];
  return [path.resolve(here, '../../dist/web'), path.resolve(here, '../../web')];
}

function webRoot(config: Pick<Config, 'webDir'>): string | null {
  return webRootCandidates(config).find((dir) => existsSync(path.join(dir, 'index.html'))) ?? null;
}

const PLACEHOLDER = `<!doctype html>
<html lang="zh-Hant-TW"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>口罩實名制 2.0</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6">
<h1>口罩實名制 2.0</h1>
<p>The API is running. The web UI has not been built yet: run <code>npm run build:web</code> (or <code>npm start</code>, which builds it first).</p>
<p>網頁介面尚未建置：請執行 <code>npm run build:web</code>。API 已在運作，見 <a href="/docs">/docs</a>。</p>
</body></html>`;

const unknownRoute = (method: string, url: string) =>
  new AppError('UNKNOWN_ROUTE', `No route ${method} ${url}.`);

/**
 * The web UI (docs/WEB.md), served from the same process: built files from dist/web, and for
 * every other GET outside /api the single-page app's index.html (history-API routing).
 * Unknown /api paths stay JSON `UNKNOWN_ROUTE` errors. Registered last in src/routes.ts.
 */
export async function webRoutes(app: App, deps: Deps): Promise<void> {
  const { config } = deps;
  await app.register(fastifyStatic, {
    root: webRoot(config) ?? webRootCandidates(config)[0] ?? here,
    serve: false,
    dotfiles: 'deny',
    // An unbuilt UI is not worth a warning at every start: the placeholder says what to do.
    logLevel: 'error',
  });

  const sendIndex = (root: string | null, reply: FastifyReply) => {
    if (!root)
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PLACEHOLDER);
    return reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  };

  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(webRoot(config), reply));

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      throw unknownRoute(request.method, request.url);
    }
    if (pathname === '/api' || pathname.startsWith('/api/')) throw unknownRoute(request.method, request.url);
    const root = webRoot(config);
    const relative = path.posix.normalize(pathname).replace(/^\/+/, '');
    const segments = relative.split('/');
    const safe = relative !== '' && !segments.some((s) => s === '..' || s.startsWith('.'));
    if (root && safe) {
      const file = path.join(root, relative);
      const info = await stat(file).catch(() => null);
      if (info?.isFile() && file.startsWith(root + path.sep)) {
        // Vite names built assets by content hash: they never change under the same name.
        const hashed = relative.startsWith('assets/');
        return reply.sendFile(
          relative,
          root,
          hashed ? { maxAge: '365d', immutable: true } : { cacheControl: false },
        );
      }
    }
    // A missing asset is an error, not a page: the app would only load itself in its place.
    if (relative.startsWith('assets/') || /\.(js|css|map|png|svg|ico|json|txt|woff2?)$/.test(relative)) {
      throw unknownRoute(request.method, request.url);
    }
    return sendIndex(root, reply);
  });
}
