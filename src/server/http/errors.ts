/**
 * One error shape for every API answer that is not a success:
 *   { "error": { "code": "...", "message": "...", "fields": [{ "path": "a.b", "message": "..." }] } }
 * `fields` names each bad input so a form can show the message next to it. No stack traces, ever.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Context } from 'hono';
import type { z } from 'zod';
import { BulkValidationError } from '../../domain/bulk';

export interface FieldError {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(status, { message });
  }
}

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? (issue.keys as string[]) : [];
    // An unknown field is reported at that field, not at its parent object.
    if (issue.code === 'unrecognized_keys' && keys.length > 0) {
      return { path: [path, keys.join(',')].filter(Boolean).join('.'), message: issue.message };
    }
    return { path: path || '(body)', message: issue.message };
  });
}

export function invalidInput(fields: FieldError[]): ApiError {
  const first = fields[0];
  const message = first ? `${first.path}: ${first.message}` : 'invalid input';
  return new ApiError(400, 'invalid_input', message, fields);
}

export function errorResponse(c: Context, err: Error): Response {
  if (err instanceof BulkValidationError) {
    const fields = err.errors.map((e) => ({
      path: `rows.${e.row}.${e.field}`,
      message: e.message,
    }));
    return errorResponse(
      c,
      new ApiError(
        400,
        'invalid_rows',
        `${fields.length} bad row field(s); nothing was written`,
        fields,
      ),
    );
  }
  if (err instanceof ApiError) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    return c.json(body, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    // Hono's own 400 is a body that is not JSON: report it at the body, in the one error shape.
    if (status === 400) {
      const fields = [{ path: '(body)', message: err.message }];
      return errorResponse(c, new ApiError(400, 'invalid_input', `(body): ${err.message}`, fields));
    }
    const code =
      status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'http_error';
    return c.json({ error: { code, message: err.message || 'request refused' } }, status);
  }
  console.error('[gatepost] unhandled error:', err.name, err.message);
  return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
}
