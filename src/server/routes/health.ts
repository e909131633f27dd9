import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppDeps } from '../app';

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

export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono().openapi(healthRoute, (c) =>
    c.json({ status: 'ok' as const, version: deps.version }, 200),
  );
}
