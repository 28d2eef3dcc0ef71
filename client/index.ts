import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import type { UsermodClient } from './run';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';
import { parseSealPublicKey, sealer } from '../auth/seal';

export * from './run';
export * from './users';
export * from './invites';
export * from './emailpass';
export * from './invite-updates';

export async function connectClient(
  config: Config,
  address: string,
): Promise<UsermodClient & { close(): Promise<void> }> {
  const connection = await Connection.connect(temporalConnectionOptions(config, address));
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: usermodDataConverter(parseCodecKeys(config.payloadKeys)),
  });
  return {
    client,
    taskQueue: config.temporal.taskQueue,
    jwtSecret: config.jwtSecret,
    seal: sealer(parseSealPublicKey(config.sealPublicKey)),
    close: () => connection.close(),
  };
}
export * from './rbac';
export * from './api-keys';
