import { AppError } from '@agent-bot/contracts';
import { expect } from 'vitest';

/** The AppError a reply rejected with (fails the test when it resolved or threw anything else). */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
