import type { Config } from '../config';
import { StartupError } from './startup-error';

/** A worker or API run on its own needs an existing database and Temporal cluster (npm start brings both). */
export function standaloneTargets(config: Config, what: string): { databaseUrl: string; temporalAddress: string } {
  if (!config.databaseUrl || !config.temporal.address) {
    failStartup(what, new StartupError(what, 'needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs it for you)'));
  }
  return { databaseUrl: config.databaseUrl!, temporalAddress: config.temporal.address! };
}

/** One plain line on stderr naming what failed and why, then a non-zero exit (no stack: it is not a bug). */
export function failStartup(what: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`usermod: ${what} failed to start: ${message.split('\n')[0]}\n`);
  if (process.env.LOG_LEVEL === 'debug' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}
