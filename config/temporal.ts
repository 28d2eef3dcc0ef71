import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { loadClientConnectConfig } from '@temporalio/envconfig';

/**
 * How to reach Temporal, read with Temporal's own conventions (`@temporalio/envconfig`): the
 * variables TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS,
 * TEMPORAL_TLS_CLIENT_CERT_PATH / _KEY_PATH / SERVER_CA_CERT_PATH / SERVER_NAME (or their _DATA
 * forms), TEMPORAL_GRPC_META_*, over a profile of the Temporal CLI's config file (TEMPORAL_PROFILE,
 * TEMPORAL_CONFIG_FILE). The same settings the `temporal` CLI uses, so one profile serves both.
 */
export interface TemporalConnectionSettings {
  /** host:port of the frontend; unset: `npm start` runs the dev server. */
  address?: string;
  namespace: string;
  apiKey?: string;
  /** true: TLS with the system roots; an object: mTLS / custom CA; false or unset: plaintext. */
  tls?: TLSConfig | boolean;
  /** gRPC headers for every call. */
  metadata?: Record<string, string>;
}

export function loadTemporalConnection(): TemporalConnectionSettings {
  const { connectionOptions: c, namespace } = loadClientConnectConfig();
  return {
    address: c.address || undefined,
    namespace: namespace ?? 'default',
    apiKey: c.apiKey,
    tls: c.tls ?? undefined,
    metadata: c.metadata as Record<string, string> | undefined, // TEMPORAL_GRPC_META_* values are strings
  };
}
