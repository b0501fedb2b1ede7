// Serves the built web app (web/dist) at `/`: its files with their content types, hashed
// assets with a year-long cache, and index.html (never cached) for every other non-API path so
// the app's own router can show the page. Files are read once into memory (and gzipped once),
// re-read only when they change on disk. API paths keep the API's JSON 404.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ModelmartError } from '../../core/index.js';

/** web/dist beside src/ (running from sources) or beside dist/ (running the build): three folders up either way. */
export const defaultWebDirectory = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface WebAppRouteOptions {
  /** The folder holding the built app (index.html and assets/); web/dist by default. */
  readonly directory?: string;
}

const apiPrefixes = ['/admin', '/store', '/auth'];
/** /v1 and later API versions (/v2…): unknown paths there keep the API's JSON 404. */
const apiVersionPath = /^\/v\d+(\/|$)/;
const operationalPaths = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json']);

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** What the app may load: only its own files and API; inline styles for chart sizing. */
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const hashedAssetCache = 'public, max-age=31536000, immutable';
const compressibleMinimumBytes = 1024;

export function isApiPath(path: string): boolean {
  return operationalPaths.has(path) || apiVersionPath.test(path) || apiPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

interface CachedFile {
  readonly modifiedMilliseconds: number;
  readonly size: number;
  readonly body: Buffer;
  readonly gzipped: Buffer | null;
  readonly etag: string;
  readonly contentType: string;
}

const missingBuildPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Modelmart</title></head>
<body><h1>Modelmart</h1>
<p>The web app has not been built. Run <code>npm run build</code> (it builds the server and web/dist), then reload this page.</p>
<p>The API works without it: <a href="/openapi.json">/openapi.json</a>.</p></body></html>
`;

/** The request path's segments, or an error when the path tries to leave the folder or cannot be decoded. */
export function safeSegments(rawPath: string): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new ModelmartError(400, 'The path is not valid percent-encoded text.', { code: 'invalid_path' });
  }
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  for (const segment of segments) {
    if (segment === '..' || segment.includes('\\') || segment.includes('\0')) {
      throw new ModelmartError(400, `The path ${JSON.stringify(rawPath)} is refused: it may not step outside the web app's folder.`, { code: 'invalid_path' });
    }
  }
  return segments;
}

class WebAppFiles {
  private readonly root: string;
  private readonly cache = new Map<string, CachedFile>();

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  /** The file at these segments, from memory unless it changed on disk; undefined when there is none. */
  async read(segments: readonly string[]): Promise<CachedFile | undefined> {
    const path = join(this.root, ...segments);
    if (path !== this.root && !path.startsWith(`${this.root}${sep}`)) return undefined;
    let facts;
    try {
      facts = await stat(path);
    } catch {
      return undefined;
    }
    if (!facts.isFile()) return undefined;
    const cached = this.cache.get(path);
    if (cached !== undefined && cached.modifiedMilliseconds === facts.mtimeMs && cached.size === facts.size) return cached;
    const body = await readFile(path);
    const contentType = contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/json|image\/svg)/.test(contentType) && body.length >= compressibleMinimumBytes;
    const file: CachedFile = {
      modifiedMilliseconds: facts.mtimeMs,
      size: facts.size,
      body,
      gzipped: compressible ? gzipSync(body, { level: 9 }) : null,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      contentType,
    };
    this.cache.set(path, file);
    return file;
  }
}

function send(request: FastifyRequest, reply: FastifyReply, file: CachedFile, cacheControl: string): FastifyReply {
  reply.header('cache-control', cacheControl).header('etag', file.etag).header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding');
  if (file.contentType.startsWith('text/html')) {
    reply.header('content-security-policy', contentSecurityPolicy).header('x-frame-options', 'DENY').header('referrer-policy', 'same-origin');
  }
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  reply.type(file.contentType);
  const acceptEncoding = request.headers['accept-encoding'] ?? '';
  if (file.gzipped !== null && /\bgzip\b/.test(acceptEncoding)) return reply.header('content-encoding', 'gzip').send(file.gzipped);
  return reply.send(file.body);
}

export function registerWebAppRoutes(app: FastifyInstance, options: WebAppRouteOptions = {}): void {
  const files = new WebAppFiles(options.directory ?? defaultWebDirectory);

  app.get('/*', async (request, reply) => {
    const rawPath = request.url.split('?')[0] ?? '/';
    if (isApiPath(rawPath)) return reply.callNotFound();
    const segments = safeSegments(rawPath);
    if (segments.some((segment) => segment.startsWith('.'))) return reply.callNotFound();
    if (segments.length > 0) {
      const file = await files.read(segments);
      if (file !== undefined) return send(request, reply, file, segments[0] === 'assets' ? hashedAssetCache : 'no-cache');
      // A missing asset or file of a served type is a 404, not the app: a stale asset must fail visibly.
      // Other paths with dots (/models/qwen2.5-7b) are the app's own pages.
      const extension = extname(segments[segments.length - 1] ?? '').toLowerCase();
      if (segments[0] === 'assets' || contentTypes[extension] !== undefined) return reply.callNotFound();
    }
    const index = await files.read(['index.html']);
    if (index === undefined) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(missingBuildPage);
    return send(request, reply, index, 'no-cache');
  });
}
