/**
 * createApp(deps) builds the whole HTTP surface: the API under /api (every route registered with
 * its zod schemas, so /api/openapi.json lists it) and, when a static directory is given, the built
 * kiosk and office app. No state lives in the process between requests: sessions, throttles and
 * sync state are in the database, so several instances can serve one PostgreSQL.
 */
import { bodyLimit } from 'hono/body-limit';
import type { ServerDeps } from './context';
import { createRouter } from './http/env';
import { addressOf } from './http/auth';
import { ApiError, errorResponse } from './http/errors';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { cardRoutes } from './routes/cards';
import { communityRoutes } from './routes/communities';
import { deviceRoutes } from './routes/devices';
import { gateEventRoutes } from './routes/gate-events';
import { healthRoutes } from './routes/health';
import { householdRoutes } from './routes/households';
import { integrationRoutes } from './routes/integration';
import { slipIntegrationRoutes, slipRoutes } from './routes/slips';
import { syncRoutes } from './routes/sync';
import { visitorRoutes } from './routes/visitors';
import { keyHouseholdRoutes } from './routes/key-households';
import { careRoutes } from './routes/care';
import { incidentRoutes } from './routes/incidents';
import { guardRoutes } from './routes/guards';
import { mountStaticApp } from './static-files';

/** Request bodies above this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp(deps: ServerDeps) {
  const app = createRouter();
  app.onError((err, c) => errorResponse(c, err));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `body larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.use('/api/*', async (c, next) => {
    c.set('ip', addressOf(c, deps.trustProxy ?? false));
    await next();
    // API answers are personal or live: never cached by a browser or a proxy (unless a route
    // says otherwise, as content-addressed photos do).
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  const api = createRouter()
    .route('/', healthRoutes(deps))
    .route('/', authRoutes(deps))
    .route('/', communityRoutes(deps))
    .route('/', deviceRoutes(deps))
    .route('/', adminRoutes(deps))
    .route('/', householdRoutes(deps))
    .route('/', cardRoutes(deps))
    .route('/', gateEventRoutes(deps))
    .route('/', syncRoutes(deps))
    .route('/', integrationRoutes(deps))
    .route('/', visitorRoutes(deps))
    .route('/', slipRoutes(deps))
    .route('/', slipIntegrationRoutes(deps))
    .route('/', keyHouseholdRoutes(deps))
    .route('/', careRoutes(deps))
    .route('/', incidentRoutes(deps))
    .route('/', guardRoutes(deps));
  app.route('/api', api);

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'gp_session',
    description: 'Staff session (POST /api/auth/sign-in)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'device', {
    type: 'http',
    scheme: 'bearer',
    description: 'Kiosk device credential (POST /api/enroll)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'API key of the main property-management system: gpk_<id>.<secret>',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Gatepost API', version: deps.version },
  });
  app.notFound((c) =>
    c.json(
      { error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  if (deps.staticDir) mountStaticApp(app, deps.staticDir);
  return app;
}

export type GatepostApp = ReturnType<typeof createApp>;
