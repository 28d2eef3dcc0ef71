import type { Config } from '../config';
import { logger } from './logger';

/** A worker or API run on its own needs an existing database and Temporal cluster (npm start brings both). */
export function standaloneTargets(config: Config, what: string): { databaseUrl: string; temporalAddress: string } {
  if (!config.databaseUrl || !config.temporal.address) {
    logger.error(`${what} needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs it for you)`);
    process.exit(2);
  }
  return { databaseUrl: config.databaseUrl, temporalAddress: config.temporal.address };
}
