import { createRoute, z } from '@hono/zod-openapi';
import type { ServerDeps } from '../context';
import { createRouter } from '../http/env';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  tags: ['system'],
  summary: 'Liveness: the server answers and which version it runs',
  security: [],
  responses: {
    200: {
      description: 'The server is up',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ok'), version: z.string() }),
        },
      },
    },
  },
});

export function healthRoutes(deps: ServerDeps) {
  return createRouter().openapi(healthRoute, (c) =>
    c.json({ status: 'ok' as const, version: deps.version }, 200),
  );
}
