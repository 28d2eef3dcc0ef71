import pino from 'pino';

// Secrets never reach the logger: redact the fields that could carry them, wherever they sit.
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: {
    paths: ['password', '*.password', 'token', '*.token', 'password_hash', '*.password_hash', 'token_hash', '*.token_hash'],
    censor: '[redacted]',
  },
});
