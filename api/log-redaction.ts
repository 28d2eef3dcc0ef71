import type { FastifyRequest } from 'fastify';

/** `?token=<jwt>` (invite and reset links, the accept route) becomes `?token=[redacted]`. */
export const redactUrl = (url: string): string => url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');

/**
 * Fastify's request serializer without the secrets in URLs: invite and reset tokens travel in the query
 * string (the mailed links, the pages they open, the accept route) and must never reach the log.
 */
export const requestLogSerializer = (req: FastifyRequest) => ({
  method: req.method,
  url: redactUrl(req.url),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});
