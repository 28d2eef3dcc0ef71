import type { AuthIdentityDTO, Store } from '../store';
import { EMAILPASS } from '../store/auth';
import { invalidData, notFound } from '../domain/errors';
import { normalizeEmail } from '../store/validation';

export function authActivities(store: Store) {
  return {
    /** Creates the emailpass identity (the password arrives already hashed: no plaintext in Temporal). */
    createEmailpassIdentity: store.createEmailpassIdentity,

    /** Compensation of createEmailpassIdentity. */
    async deleteAuthIdentity(id: string): Promise<void> {
      await store.deleteAuthIdentity(id);
    },

    /**
     * An identity the caller registered before accepting: it must be unlinked and its e-mail must be
     * the invite's (Medusa binds neither).
     */
    async checkIdentityForAccept(authIdentityId: string, email: string): Promise<AuthIdentityDTO> {
      const identity = await store.retrieveAuthIdentity(authIdentityId);
      if (identity.user_id) throw invalidData('The identity is already linked to a user and cannot accept an invite');
      const login = identity.provider_identities.find((p) => p.provider === EMAILPASS);
      if (!login || login.entity_id !== normalizeEmail(email)) {
        throw invalidData('The identity was registered with a different email than the one the invite was sent to');
      }
      return identity;
    },

    /** The current hash, to be put back by a failed password update. */
    async emailpassPasswordHash(email: string): Promise<string> {
      const login = await store.findEmailpassLogin(email);
      if (!login?.passwordHash) throw notFound(`ProviderIdentity with entity_id "${normalizeEmail(email)}" not found`);
      return login.passwordHash;
    },

    setEmailpassPasswordHash: store.updateEmailpassPassword,

    identitiesOfUser: store.identitySnapshots,
    recreateIdentities: store.recreateIdentities,
    deleteAuthIdentities: store.deleteAuthIdentities,

    linkIdentity: store.linkIdentity,

    /** Compensation of linkIdentity. */
    unlinkIdentity: store.unlinkIdentity,
  };
}
