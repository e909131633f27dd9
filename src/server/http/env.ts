import { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiKeyIdentity } from '../store/api-keys';
import type { DeviceRow } from '../store/devices';
import type { StaffAccount } from '../store/staff';
import { fieldErrors, invalidInput } from './errors';

export interface AppEnv {
  Variables: {
    staff: StaffAccount;
    device: NonNullable<DeviceRow>;
    apiKey: ApiKeyIdentity;
    ip: string;
  };
}

/** Every router validates with the same hook, so every bad input has the one error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      // A JSON body's fields are named as they are; query and path fields with their place.
      if (!result.success) {
        throw invalidInput(
          fieldErrors(result.error, result.target === 'json' ? '' : result.target),
        );
      }
    },
  });
}
