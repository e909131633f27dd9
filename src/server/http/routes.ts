/**
 * Route declarations with their caller built in: each helper adds the OpenAPI `security` entry,
 * the required permission or scope as `x-permission` / `x-scope`, the middleware that enforces
 * it, and the error responses every route can give. A route cannot be declared without saying
 * who may call it.
 */
import { createRoute, z, type RouteConfig } from '@hono/zod-openapi';
import type { Permission } from '../../domain/permissions';
import type { ServerDeps } from '../context';
import type { ApiScope } from '../store/api-keys';
import { requireApiKey, requireDevice, requireStaff } from './auth';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

export const ERROR_RESPONSES = {
  400: errorResponse('Invalid input; `fields` names each bad field'),
  401: errorResponse('No valid credentials'),
  403: errorResponse('Credentials valid but not allowed here'),
  404: errorResponse('No such resource in this community'),
  409: errorResponse('Conflicts with the current state'),
  413: errorResponse('Body too large'),
  429: errorResponse('Too many attempts; try again later'),
} as const;

export const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true as const },
});

/** A path parameter for the community a route works on. */
export const communityParams = z.object({
  communityId: z.coerce
    .number()
    .int()
    .min(1)
    .max(999_999_999)
    .openapi({ param: { name: 'communityId', in: 'path' } }),
});

type Base = Omit<RouteConfig, 'middleware' | 'security'>;

export function staffRoute<R extends Base>(
  deps: ServerDeps,
  permission: Permission | null,
  config: R,
) {
  return createRoute({
    ...config,
    security: [{ session: [] }],
    ...(permission ? { 'x-permission': permission } : {}),
    middleware: [requireStaff(deps, permission ?? undefined)] as const,
    responses: { ...ERROR_RESPONSES, ...config.responses },
  });
}

export function deviceRoute<R extends Base>(deps: ServerDeps, config: R) {
  return createRoute({
    ...config,
    security: [{ device: [] }],
    middleware: [requireDevice(deps)] as const,
    responses: { ...ERROR_RESPONSES, ...config.responses },
  });
}

export function apiKeyRoute<R extends Base>(deps: ServerDeps, scope: ApiScope, config: R) {
  return createRoute({
    ...config,
    security: [{ apiKey: [] }],
    'x-scope': scope,
    middleware: [requireApiKey(deps, scope)] as const,
    responses: { ...ERROR_RESPONSES, ...config.responses },
  });
}

export function publicRoute<R extends Base>(config: R) {
  return createRoute({
    ...config,
    security: [],
    responses: { ...ERROR_RESPONSES, ...config.responses },
  });
}
