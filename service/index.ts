import { resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { migrate } from '../devstack/migrate';
import { verifyInviteToken } from '../auth';
import { parseSealPublicKey, sealer } from '../auth/seal';
import { parseCodecKeys, usermodDataConverter } from '../codec/aes-gcm-codec';
import {
  acceptInvite as acceptInviteFlow,
  assignUserRoles as assignUserRolesFlow,
  connectClient,
  createInvites as createInvitesFlow,
  createUsers as createUsersFlow,
  deleteInvites as deleteInvitesFlow,
  refreshInviteTokens as refreshInviteTokensFlow,
  removeUserAccount,
  removeUserRoles as removeUserRolesFlow,
  updateInvites as updateInvitesFlow,
  updateUsers as updateUsersFlow,
  type AcceptInviteRequest,
  type InviteWithToken,
  type RunOptions,
  type UsermodClient,
} from '../client';
import { appDatabaseUrl, loadConfig, type Config } from '../config';
import type {
  InviteDTO,
  InviteFilters,
  InviteUpdate,
  NewInvite,
  NewUser,
  UserAccount,
  UserDTO,
  UserFilters,
  UserUpdate,
} from '../domain';
import { createStore, type ListConfig, type Store } from '../store';
import { createPrisma, type PrismaClient } from '../store/prisma';
import { attachParts } from './parts';

export { UsermodError, ERROR_STATUS, SUPER_ADMIN_ROLE_ID, type ErrorType } from '../domain';
export type {
  AcceptInviteRequest,
  InviteDTO,
  InviteFilters,
  InviteUpdate,
  InviteWithToken,
  ListConfig,
  NewInvite,
  NewUser,
  UserAccount,
  UserDTO,
  UserFilters,
  UserUpdate,
};

/** Options of every mutating method. */
export interface ServiceCallOptions {
  /**
   * The same key for the same request returns the first run's result instead of running the flow
   * again (24 h, the namespace's retention). With an array of ids each run gets `<key>:<n>`.
   */
  idempotencyKey?: string;
  /** Who the key belongs to (e.g. the caller's user id): another scope's same key is another request. */
  idempotencyScope?: string;
  /** A one-line summary shown in the Temporal Web UI (never an e-mail address or a secret). */
  summary?: string;
}

/** Built from an existing Temporal Client (the application's own) and a database URL. */
export interface ServiceFromClientOptions {
  client: Client;
  databaseUrl: string;
  /** The task queue usermod's workers poll (createUsermodWorker's). Default `usermod`. */
  taskQueue?: string;
  /** HS256 secret of invite tokens: the same as the workers'. */
  jwtSecret: string;
  /** Public seal key (`id:base64`) the workers hold the private half of (USERMOD_SEAL_PUBLIC_KEY). */
  sealPublicKey: string;
  /**
   * Payload encryption keys (`id:base64key[,...]`, USERMOD_PAYLOAD_KEYS), as the workers have them. When
   * given, the Client's connection is reused with usermod's encrypting data converter; when absent the
   * Client is used as it is (it must then already have that converter).
   */
  payloadKeys?: string;
}

/** Built from usermod's configuration (the environment, README "Configuration"). */
export interface ServiceFromConfigOptions {
  config?: Config;
  /** Temporal's address; default the configured one (TEMPORAL_ADDRESS). */
  temporalAddress?: string;
  /** Default: DATABASE_URL, or the embedded PostgreSQL `npm start` runs. */
  databaseUrl?: string;
}

type OneOrMany<In, Out> = { (data: In, options?: ServiceCallOptions): Promise<Out> } & {
  (data: In[], options?: ServiceCallOptions): Promise<Out[]>;
};

const many = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const mirror = <In, Out>(input: In | In[], out: Out[]): Out | Out[] => (Array.isArray(input) ? out : out[0]);

/**
 * Medusa's user module service (`userModuleService.createInvites(...)` and so on), each mutating
 * method running its usermod workflow and waiting for its result. Single object in, single object out;
 * array in, array out. Business failures throw UsermodError (`type`, `status`, a message naming the
 * problem).
 */
export interface UsermodService {
  createUsers: OneOrMany<NewUser, UserDTO>;
  updateUsers: OneOrMany<UserUpdate, UserDTO>;
  /** Soft-deletes the users and removes their logins (one removeUserAccount run per user). */
  deleteUsers(ids: string | string[], options?: ServiceCallOptions): Promise<void>;
  retrieveUser(id: string, config?: ListConfig): Promise<UserDTO>;
  listUsers(filters?: UserFilters, config?: ListConfig): Promise<UserDTO[]>;
  listAndCountUsers(filters?: UserFilters, config?: ListConfig): Promise<[UserDTO[], number]>;

  /** Creates invites; each answer carries its token (the only time it is shown: only its hash is stored). */
  createInvites: OneOrMany<NewInvite, InviteWithToken>;
  updateInvites: OneOrMany<InviteUpdate, InviteDTO>;
  /** Revokes the invites (soft delete: their tokens stop working). */
  deleteInvites(ids: string | string[], options?: ServiceCallOptions): Promise<void>;
  /** Resend: a new token and expiry each; earlier tokens stop working. */
  refreshInviteTokens: OneOrMany<string, InviteWithToken>;
  /** The invite a token is for, if the token is its current, usable one; throws the reason otherwise. */
  validateInviteToken(token: string): Promise<InviteDTO>;
  /** Accepts an invite: creates the user and its login (a password, or an identity registered before). */
  acceptInvite(request: AcceptInviteRequest, options?: ServiceCallOptions): Promise<UserAccount>;
  retrieveInvite(id: string, config?: ListConfig): Promise<InviteDTO>;
  listInvites(filters?: InviteFilters, config?: ListConfig): Promise<InviteDTO[]>;
  listAndCountInvites(filters?: InviteFilters, config?: ListConfig): Promise<[InviteDTO[], number]>;

  /**
   * RBAC: gives a user roles (e.g. SUPER_ADMIN_ROLE_ID), as trusted server code: no escalation check,
   * since there is no caller to check (the HTTP routes check theirs). Returns the user's roles after it.
   */
  assignUserRoles(userId: string, roleIds: string[], options?: ServiceCallOptions): Promise<{ roleIds: string[] }>;
  /** RBAC: takes roles from a user; the last Super Admin keeps the role (UsermodError 400). */
  removeUserRoles(userId: string, roleIds: string[], options?: ServiceCallOptions): Promise<{ roleIds: string[] }>;

  /** Closes what the service opened (database pool; the Temporal connection when it made it). */
  close(): Promise<void>;
}

const runOptions = (o: ServiceCallOptions | undefined, n?: number): RunOptions => ({
  idempotencyKey:
    o?.idempotencyKey === undefined ? undefined : n === undefined ? o.idempotencyKey : `${o.idempotencyKey}:${n}`,
  idempotencyScope: o?.idempotencyScope === undefined ? undefined : `service:${o.idempotencyScope}`,
  summary: o?.summary,
});

/** The service over a usermod client (Temporal) and store (reads): the parts the factories below make. */
export function usermodService(ctx: UsermodClient, store: Store, close: () => Promise<void>): UsermodService {
  return attachParts(serviceMethods(ctx, store, close), { usermod: ctx, store });
}

function serviceMethods(ctx: UsermodClient, store: Store, close: () => Promise<void>): UsermodService {
  const oneOrMany =
    <In, Out>(run: (items: In[], options: RunOptions) => Promise<Out[]>) =>
    async (data: In | In[], options?: ServiceCallOptions) =>
      mirror(data, await run(many(data), runOptions(options)));
  const eachId =
    (run: (id: string, options: RunOptions) => Promise<unknown>) =>
    async (ids: string | string[], options?: ServiceCallOptions): Promise<void> => {
      const list = many(ids);
      // One run per id (the flow is per user); sequential, so a refusal stops before the next one.
      for (const [n, id] of list.entries()) await run(id, runOptions(options, Array.isArray(ids) ? n : undefined));
    };
  return {
    createUsers: oneOrMany<NewUser, UserDTO>((users, o) =>
      createUsersFlow(ctx, users, o),
    ) as UsermodService['createUsers'],
    updateUsers: oneOrMany<UserUpdate, UserDTO>((u, o) => updateUsersFlow(ctx, u, o)) as UsermodService['updateUsers'],
    deleteUsers: eachId((id, o) => removeUserAccount(ctx, id, o)),
    retrieveUser: (id, config) => store.retrieveUser(id, { withDeleted: config?.withDeleted }),
    listUsers: (filters, config) => store.listUsers(filters, config),
    listAndCountUsers: (filters, config) => store.listAndCountUsers(filters, config),

    createInvites: oneOrMany<NewInvite, InviteWithToken>((i, o) =>
      createInvitesFlow(ctx, i, o),
    ) as UsermodService['createInvites'],
    updateInvites: oneOrMany<InviteUpdate, InviteDTO>((u, o) =>
      updateInvitesFlow(ctx, u, o),
    ) as UsermodService['updateInvites'],
    deleteInvites: async (ids, options) => {
      await deleteInvitesFlow(ctx, many(ids), runOptions(options));
    },
    refreshInviteTokens: oneOrMany<string, InviteWithToken>((ids, o) =>
      refreshInviteTokensFlow(ctx, ids, o),
    ) as UsermodService['refreshInviteTokens'],
    async validateInviteToken(token) {
      const { inviteId, tokenHash } = await verifyInviteToken(token, ctx.jwtSecret);
      return store.validateInviteToken(inviteId, tokenHash);
    },
    acceptInvite: (request, options) =>
      acceptInviteFlow(
        ctx,
        { inviteEmail: async (id) => (await store.retrieveInvite(id).catch(() => undefined))?.email, ...request },
        runOptions(options),
      ),
    retrieveInvite: (id, config) => store.retrieveInvite(id, { withDeleted: config?.withDeleted }),
    listInvites: (filters, config) => store.listInvites(filters, config),
    listAndCountInvites: (filters, config) => store.listAndCountInvites(filters, config),
    assignUserRoles: (userId, roleIds, options) => assignUserRolesFlow(ctx, { userId, roleIds }, runOptions(options)),
    removeUserRoles: (userId, roleIds, options) => removeUserRolesFlow(ctx, { userId, roleIds }, runOptions(options)),
    close,
  };
}

function storeOf(databaseUrl: string): { store: Store; prisma: PrismaClient } {
  const prisma = createPrisma(databaseUrl);
  return { prisma, store: createStore(prisma) };
}

/**
 * The service, from an existing Temporal Client and a database URL, or from usermod's configuration
 * (the environment, as `npm start` and the workers read it).
 */
export async function createUsermodService(
  options: ServiceFromClientOptions | ServiceFromConfigOptions = {},
): Promise<UsermodService> {
  if ('client' in options) {
    const client = options.payloadKeys
      ? new Client({
          connection: options.client.connection,
          namespace: options.client.options.namespace,
          dataConverter: usermodDataConverter(parseCodecKeys(options.payloadKeys)),
        })
      : options.client;
    const { prisma, store } = storeOf(options.databaseUrl);
    const ctx: UsermodClient = {
      client,
      taskQueue: options.taskQueue ?? 'usermod',
      jwtSecret: options.jwtSecret,
      seal: sealer(parseSealPublicKey(options.sealPublicKey)),
    };
    return usermodService(ctx, store, () => prisma.$disconnect());
  }
  const config = options.config ?? loadConfig();
  const ctx = await connectClient(config, options.temporalAddress ?? config.temporal.address ?? 'localhost:7233');
  const { prisma, store } = storeOf(options.databaseUrl ?? appDatabaseUrl(config));
  return usermodService(ctx, store, async () => {
    await ctx.close();
    await prisma.$disconnect();
  });
}

/**
 * Brings a database to usermod's schema (its migrations, applied once each; Prisma's bookkeeping
 * table). Safe to call on every start. The migrations ship with the package.
 */
export async function migrateDatabase(databaseUrl: string): Promise<{ applied: string[] }> {
  const { applied } = await migrate(databaseUrl, resolve(__dirname, '..', 'prisma', 'migrations'));
  return { applied };
}
