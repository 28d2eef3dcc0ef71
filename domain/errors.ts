/**
 * Business errors, typed like Medusa's MedusaError. This table is the only list of them: the type
 * union, the HTTP statuses (api/errors.ts), the saga's set of business failures (workflows/saga.ts)
 * and the client's mapping of a failed flow back to a UsermodError all derive from it.
 * Messages are shown to callers: they name the problem and never carry a secret.
 */
export const ERROR_STATUS = {
  not_found: 404,
  invalid_data: 400,
  not_allowed: 400,
  unauthorized: 401,
  conflict: 409,
  duplicate_error: 422,
  forbidden: 403,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;

export const ERROR_TYPES = Object.keys(ERROR_STATUS) as ErrorType[];

export const isErrorType = (t: unknown): t is ErrorType => typeof t === 'string' && Object.hasOwn(ERROR_STATUS, t);

export class UsermodError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'UsermodError';
  }

  /** The HTTP status this error answers with (the table above). */
  get status(): (typeof ERROR_STATUS)[ErrorType] {
    return ERROR_STATUS[this.type];
  }
}

export const notFound = (message: string) => new UsermodError('not_found', message);
export const invalidData = (message: string) => new UsermodError('invalid_data', message);
export const conflict = (message: string) => new UsermodError('conflict', message);
export const unauthorized = (message: string) => new UsermodError('unauthorized', message);
export const notAllowed = (message: string) => new UsermodError('not_allowed', message);
export const forbidden = (message: string) => new UsermodError('forbidden', message);
