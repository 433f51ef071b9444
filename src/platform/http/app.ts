import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from '../logger.ts';
import { newId } from '../ids.ts';
import { handleError, sendError } from './errors.ts';

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface HttpAppOptions {
  logger: Logger;
  webDist: string;
  version: string;
  /** Body limit for ordinary routes; bulk routes raise it per route. */
  bodyLimit?: number;
  readiness: () => Promise<ReadinessReport>;
  /** Registers the modules' routes. */
  register: (app: FastifyInstance) => void | Promise<void>;
}

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,100}$/;

/** Builds the HTTP server: every route under /api/v1, docs at /api/docs, the console at /. */
export async function createHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: true,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_RE.test(incoming) ? incoming : newId();
    },
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Siyu is often served over plain HTTP on a LAN; upgrading would break the console there.
        upgradeInsecureRequests: null,
      },
    },
    // The console is plain HTTP on localhost by default.
    hsts: false,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Siyu API',
        version: options.version,
        description:
          'Private-domain operations for e-commerce brands. Console calls authenticate with the session cookie ' +
          'and send the `x-csrf-token` header on writes; integrations use a workspace API key as a Bearer token.',
      },
      components: {
        securitySchemes: {
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'siyu_session' },
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Workspace API key (sy_…)' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', version: options.version }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const report = await options.readiness();
    return reply.status(report.ok ? 200 : 503).send({ status: report.ok ? 'ready' : 'not_ready', checks: report.checks });
  });

  await options.register(app);
  await registerConsole(app, options.webDist);
  return app;
}

async function registerConsole(app: FastifyInstance, webDist: string): Promise<void> {
  const index = path.join(webDist, 'index.html');
  const hasConsole = fs.existsSync(index);
  if (hasConsole) {
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: true, index: false });
    // The static wildcard would refuse the bare directory; `/` is the console itself.
    app.get('/', { schema: { hide: true } }, (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html'),
    );
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    // A missing asset is a 404, not the console page (a stale tab would otherwise load HTML as script).
    if (url.startsWith('/assets/')) return reply.status(404).type('text/plain').send('Not found');
    if (url.startsWith('/api/') || request.method !== 'GET') {
      return sendError(reply, 404, 'route_not_found', `No route ${request.method} ${url}`);
    }
    if (!hasConsole) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The Siyu console has not been built. Run `npm run build:web` (npm install does it for you).');
    }
    // Single-page app: every other GET is a console route.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
  });
}
