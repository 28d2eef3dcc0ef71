import pino from 'pino';
import pretty from 'pino-pretty';

/** A URL with the values of secret-bearing query parameters (invite and reset tokens) replaced. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|code|key)=)[^&#]*/gi, '$1[redacted]');
}

// Secrets never reach the logger: redact the fields that could carry them, wherever they sit.
const options: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? 'info',
  redact: {
    paths: [
      'password',
      '*.password',
      'token',
      '*.token',
      'password_hash',
      '*.password_hash',
      'token_hash',
      '*.token_hash',
      'req.headers.authorization',
      'req.headers.cookie',
      'res.headers["set-cookie"]',
      'headers.authorization',
      'headers.cookie',
      '*.headers.authorization',
      '*.headers.cookie',
      'authorization',
      'cookie',
    ],
    censor: '[redacted]',
  },
  serializers: {
    // Requests are logged by method and path; query tokens are cut and headers are left out.
    req: (req: { method?: string; url?: string; ip?: string }) => ({
      method: req.method,
      url: redactUrl(req.url ?? ''),
      ip: req.ip,
    }),
    res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    err: pino.stdSerializers.err,
  },
};

/** usermod's logger (redaction included) writing to `destination`, e.g. a test's memory stream. */
export const createLogger = (destination: pino.DestinationStream, level?: string) =>
  pino({ ...options, ...(level ? { level } : {}) }, destination);

// People read a terminal; programs read JSON. Pretty printing runs in-process (no transport thread).
export const logger = process.stdout.isTTY
  ? pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }))
  : pino(options);
