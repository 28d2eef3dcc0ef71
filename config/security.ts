/** Limits on guessing (README "Security"); the API applies them (api/limits.ts). */
export interface LimitSettings {
  /** Length of one counting window, in seconds. */
  windowSeconds: number;
  /** Requests per window from one IP address, per limited route. */
  perIp: number;
  /** Requests per window naming one identifier (an e-mail, a token, an invite), per limited route. */
  perIdentifier: number;
  /** Failed logins of one e-mail before it is locked; each further failure doubles the lock. */
  loginFailures: number;
  /** The first lock, in seconds (then 2x, 4x... up to `lockoutMaxSeconds`). */
  lockoutSeconds: number;
  lockoutMaxSeconds: number;
}

export const DEFAULT_LIMITS: LimitSettings = {
  windowSeconds: 60,
  perIp: 30,
  perIdentifier: 5,
  loginFailures: 5,
  lockoutSeconds: 30,
  lockoutMaxSeconds: 15 * 60,
};

/** What an operator can set about the API's exposure (README "Security"; applied by api/hardening.ts). */
export interface HardeningSettings {
  /** Serve the OpenAPI document and Swagger UI at /docs (API_DOCS, on by default). */
  docs: boolean;
  /**
   * Fastify's `trustProxy` (TRUST_PROXY): which proxies' X-Forwarded-For/-Proto to believe. Behind a
   * TLS-terminating proxy this makes `req.protocol` https, and so the session cookie `Secure`.
   */
  trustProxy: boolean | string | number;
  limits: LimitSettings;
}

export const DEFAULT_HARDENING: HardeningSettings = { docs: true, trustProxy: false, limits: DEFAULT_LIMITS };
