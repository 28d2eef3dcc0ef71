import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { Config } from '../config';

/** Connection options shared by the client and the worker: any Temporal cluster or Temporal Cloud. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** The configured connection (config/temporal.ts) to `address`: the configured one, or a dev server's. */
export function temporalConnectionOptions(config: Config, address: string): TemporalConnectionOptions {
  const t = config.temporal;
  return {
    address,
    tls: t.tls,
    apiKey: t.apiKey,
    // API keys are namespace-scoped: Temporal Cloud routes the call by this header.
    metadata: t.apiKey ? { 'temporal-namespace': t.namespace, ...t.metadata } : t.metadata,
  };
}
