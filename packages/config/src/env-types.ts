import { z } from 'zod';

/** `"false"`, `"0"`, `"no"` and `"off"` are false; a plain `z.coerce.boolean()` would call them true. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', 'TRUE', 'FALSE'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value.toLowerCase()));

export const envPort = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const envPositiveInt = z.coerce.number({ error: 'must be a number' }).int().positive();

/** An unset variable and an empty one both mean "not configured". */
export const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

export function urlWithProtocols(protocols: string[]) {
  return z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );
}
