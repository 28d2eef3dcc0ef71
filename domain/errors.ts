/**
 * Business errors, typed like Medusa's MedusaError so the HTTP layer can map them to statuses
 * (not_found 404, invalid_data 400, unauthorized 401, not_allowed 400, conflict 409, duplicate_error 422).
 * Messages are shown to callers: they name the problem and never carry a secret.
 */
export type ErrorType = 'not_found' | 'invalid_data' | 'unauthorized' | 'not_allowed' | 'conflict' | 'duplicate_error';

export const ERROR_TYPES: readonly ErrorType[] = ['not_found', 'invalid_data', 'unauthorized', 'not_allowed', 'conflict', 'duplicate_error'];

export class UsermodError extends Error {
  constructor(readonly type: ErrorType, message: string) {
    super(message);
    this.name = 'UsermodError';
  }
}

export const isErrorType = (t: unknown): t is ErrorType => ERROR_TYPES.includes(t as ErrorType);

export const notFound = (message: string) => new UsermodError('not_found', message);
export const invalidData = (message: string) => new UsermodError('invalid_data', message);
export const conflict = (message: string) => new UsermodError('conflict', message);
export const unauthorized = (message: string) => new UsermodError('unauthorized', message);
export const notAllowed = (message: string) => new UsermodError('not_allowed', message);
