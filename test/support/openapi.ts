/**
 * Walks the server's own OpenAPI document, so that tests cover every route there is — including
 * routes added later — rather than a hand-kept list.
 */
import type { TestServer } from './server';

export type Caller = 'public' | 'session' | 'device' | 'apiKey';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  items?: JsonSchema;
  minItems?: number;
  anyOf?: JsonSchema[];
  format?: string;
  default?: unknown;
}

export interface ApiRoute {
  method: string;
  path: string;
  caller: Caller;
  permission?: string;
  scope?: string;
  body?: JsonSchema;
  hasCommunity: boolean;
  /** Path parameters and their schemas. */
  pathParams: Record<string, JsonSchema>;
}

export async function listRoutes(server: TestServer): Promise<ApiRoute[]> {
  const doc = (await (await server.request('/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  const routes: ApiRoute[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const security = (op.security as Array<Record<string, unknown>> | undefined) ?? [];
      const caller = (Object.keys(security[0] ?? {})[0] as Caller | undefined) ?? 'public';
      const body = (
        op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined
      )?.content?.['application/json']?.schema;
      routes.push({
        method: method.toUpperCase(),
        path,
        caller,
        ...(op['x-permission'] ? { permission: op['x-permission'] as string } : {}),
        ...(op['x-scope'] ? { scope: op['x-scope'] as string } : {}),
        ...(body ? { body } : {}),
        hasCommunity: path.includes('{communityId}'),
        pathParams: Object.fromEntries(
          (
            (op.parameters as
              Array<{ name: string; in: string; schema: JsonSchema }> | undefined) ?? []
          )
            .filter((p) => p.in === 'path')
            .map((p) => [p.name, p.schema]),
        ),
      });
    }
  }
  return routes;
}

/** A value of the schema's type, as plausible as a schema allows without knowing the domain. */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return exampleOf(schema.anyOf[0]!);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'number':
    case 'integer':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return false;
    case 'array':
      return schema.items && (schema.minItems ?? 0) > 0 ? [exampleOf(schema.items)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = exampleOf(schema.properties![key]!);
      return out;
    }
    default:
      return null;
  }
}

/** A value of another type than the schema's, for the "wrong types" check. */
export function wrongTypeFor(schema: JsonSchema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === 'string' ? 12345 : type === 'object' ? 'not an object' : 'not a ' + String(type);
}

export function isStringSchema(schema: JsonSchema): boolean {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === 'string' && schema.format !== 'binary';
}

export type { JsonSchema };

/**
 * The route's URL with its path parameters filled: from `known` where the test has a real value
 * (a device id, a photo hash), else a value of the parameter's type.
 */
export function fillPath(route: ApiRoute, known: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (known[name] !== undefined) return known[name]!;
    const schema = route.pathParams[name];
    const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
    return type === 'integer' || type === 'number' ? '1' : 'x';
  });
}
