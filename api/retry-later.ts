/**
 * Answers that say "not now" rather than "no": 429 (too many attempts) and 503 (the database or
 * Temporal is not answering). HTTP-only, so they are not business errors in the domain's table: a
 * flow never fails with them. Both carry Retry-After.
 */
export class RetryLater extends Error {
  constructor(
    readonly status: 429 | 503,
    readonly type: 'too_many_requests' | 'unavailable',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

export const tooManyRequests = (retryAfterSeconds: number, what = 'attempts') =>
  new RetryLater(
    429,
    'too_many_requests',
    `Too many ${what}; try again in ${retryAfterSeconds} seconds`,
    retryAfterSeconds,
  );

export const unavailable = (message: string, retryAfterSeconds = 5) =>
  new RetryLater(503, 'unavailable', message, retryAfterSeconds);
