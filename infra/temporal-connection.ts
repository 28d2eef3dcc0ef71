import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../config';

/**
 * Connection options shared by the client and the worker: any Temporal cluster or Temporal Cloud,
 * with mTLS (cert + key) or an API key (which implies TLS).
 */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export function temporalConnectionOptions(config: Config, address: string): TemporalConnectionOptions {
  const t = config.temporal;
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  const tls = t.tls
    ? {
        serverNameOverride: t.serverName,
        serverRootCACertificate: read(t.tlsCaPath),
        clientCertPair:
          t.tlsCertPath && t.tlsKeyPath ? { crt: readFileSync(t.tlsCertPath), key: readFileSync(t.tlsKeyPath) } : undefined,
      }
    : undefined;
  return {
    address,
    tls,
    apiKey: t.apiKey,
    metadata: t.apiKey ? { 'temporal-namespace': t.namespace } : undefined,
  };
}
