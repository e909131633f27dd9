/**
 * createApp(deps) builds the whole HTTP surface: the API under /api (every route registered with
 * its zod schemas, so /api/openapi.json lists it) and, when a static directory is given, the built
 * kiosk and office app. No state lives in the process between requests.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorResponse, fieldErrors, invalidInput } from './http/errors';
import { mountStaticApp } from './static-files';
import { healthRoutes } from './routes/health';

export interface AppDeps {
  /** Where the built app lives; omitted in API-only tests. */
  staticDir?: string;
  version: string;
}

/** Request bodies above this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type GatepostApp = OpenAPIHono;

export function createApp(deps: AppDeps): GatepostApp {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(fieldErrors(result.error, result.target));
    },
  });
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

  app.route('/api', healthRoutes(deps));

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
