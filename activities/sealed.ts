import type { Opener } from '../auth/seal';
import type {
  AcceptOnce,
  AcceptUndo,
  AcceptWrite,
  IdentitySnapshot,
  InviteTokenState,
  NewEmailpassIdentity,
  PasswordState,
} from '../domain';
import type { Store } from '../store';

/**
 * The store methods whose arguments or results hold a password hash or an invite-token hash, as
 * activities: what enters or leaves a workflow is sealed (auth/seal.ts), and only here, in the worker
 * that holds the private seal keys, is it opened. So history, decoded through the codec server or
 * not, never holds a hash a reader could attack offline.
 */
export function sealedActivities(store: Store, seal: Opener) {
  const openPassword = (v: string) => seal.open(v, 'password_hash');
  const sealPassword = (v: string) => seal.seal(v, 'password_hash');
  const openToken = (v: string) => seal.open(v, 'token_hash');
  const sealToken = (v: string) => seal.seal(v, 'token_hash');
  const sealSnapshot = (s: IdentitySnapshot): IdentitySnapshot => ({
    ...s,
    providers: s.providers.map((p) => ({ ...p, password_hash: p.password_hash && sealPassword(p.password_hash) })),
  });
  const openSnapshot = (s: IdentitySnapshot): IdentitySnapshot => ({
    ...s,
    providers: s.providers.map((p) => ({ ...p, password_hash: p.password_hash && openPassword(p.password_hash) })),
  });
  const openAccept = <T extends Pick<AcceptWrite, 'tokenHash' | 'identity'>>(input: T): T => ({
    ...input,
    tokenHash: openToken(input.tokenHash),
    identity:
      'registered' in input.identity
        ? input.identity
        : { ...input.identity, passwordHash: openPassword(input.identity.passwordHash) },
  });

  return {
    /** The new login's password hash arrives sealed. */
    createEmailpassIdentity: (input: NewEmailpassIdentity) =>
      store.createEmailpassIdentity({ ...input, passwordHash: openPassword(input.passwordHash) }),

    /** The logins a removal deletes, hashes sealed: what its compensation recreates. */
    identitySnapshots: async (userId: string) => (await store.identitySnapshots(userId)).map(sealSnapshot),
    recreateIdentities: (snapshots: IdentitySnapshot[]) => store.recreateIdentities(snapshots.map(openSnapshot)),

    /** An unlinked login that holds an invitee's e-mail (replaced by the accept), hash sealed. */
    unlinkedEmailpassSnapshot: async (email: string) => {
      const found = await store.unlinkedEmailpassSnapshot(email);
      return found && sealSnapshot(found);
    },

    /** The password a failed update puts back, sealed. */
    passwordState: async (email: string): Promise<PasswordState> => {
      const state = await store.passwordState(email);
      return { ...state, passwordHash: sealPassword(state.passwordHash) };
    },
    updateEmailpassPassword: (email: string, passwordHash: string) =>
      store.updateEmailpassPassword(email, openPassword(passwordHash)),
    restorePassword: (state: PasswordState) =>
      store.restorePassword({ ...state, passwordHash: openPassword(state.passwordHash) }),

    /** The token state a failed resend puts back, hash sealed. */
    inviteTokenStates: async (ids: string[]): Promise<InviteTokenState[]> =>
      (await store.inviteTokenStates(ids)).map((s) => ({ ...s, token_hash: sealToken(s.token_hash) })),
    restoreInviteTokens: (states: InviteTokenState[]) =>
      store.restoreInviteTokens(states.map((s) => ({ ...s, token_hash: openToken(s.token_hash) }))),

    /** The presented token's hash arrives sealed. */
    validateInviteToken: (inviteId: string, tokenHash: string) =>
      store.validateInviteToken(inviteId, openToken(tokenHash)),
    claimInviteForAccept: (inviteId: string, tokenHash: string, run: string) =>
      store.claimInviteForAccept(inviteId, openToken(tokenHash), run),

    /** The accept as one step (store/accept.ts): token and new password hash arrive sealed, the replaced login leaves sealed. */
    acceptPreflight: async (inviteId: string, tokenHash: string, authIdentityId?: string) => {
      const found = await store.acceptPreflight(inviteId, openToken(tokenHash), authIdentityId);
      return { ...found, squatter: found.squatter && sealSnapshot(found.squatter) };
    },
    acceptInviteWithEvents: (input: AcceptWrite) => store.acceptInviteWithEvents(openAccept(input)),
    /** The accept in one workflow task: the replaced login stays in the database (its undo record), never in history. */
    acceptInviteOnce: (input: AcceptOnce) => store.acceptInviteOnce(openAccept(input)),
    undoAcceptInvite: (input: AcceptUndo) =>
      store.undoAcceptInvite({ ...input, squatter: input.squatter && openSnapshot(input.squatter) }),
  };
}
