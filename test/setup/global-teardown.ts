import { rmSync } from 'node:fs';
import { dropDatabase } from '../../devstack/postgres-admin';
import { PIDS_PATH, type TestStack } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { __usermodStack?: TestStack }).__usermodStack;
  if (!stack) return;
  await stack.temporal.stop();
  await dropDatabase(stack.adminUrl, stack.dbName);
  await stack.dbServer?.stop();
  rmSync(PIDS_PATH, { force: true });
}
