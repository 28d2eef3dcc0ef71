import { ApplicationFailure } from '@temporalio/common';
import { signInviteToken, signResetToken } from '../auth';
import { normalizeEmail, tokenLink, type InviteTokenClaims } from '../domain';
import type { Store } from '../store';
import type { InviteTokenSettings } from './invites';
import { PermanentDeliveryError, type MailTransport } from './mail-transport';

export interface DeliverySettings {
  transport: MailTransport;
  /** The invitee's page; the token is added as `?token=`. */
  acceptUrl: string;
  /** The password-reset page; the token is added as `?token=`. */
  resetUrl?: string;
}

export function deliveryActivities(store: Store, tokens: InviteTokenSettings, delivery: DeliverySettings) {
  return {
    /**
     * Sends the invite with its accept link. The token is re-signed here from its claims, so it never
     * passes through Temporal. At-least-once: a retry after a lost acknowledgement may send twice.
     */
    async sendInvite(claims: InviteTokenClaims, to: string): Promise<void> {
      const link = tokenLink(delivery.acceptUrl, await signInviteToken(claims, tokens.secret));
      const expires = new Date(claims.exp * 1000).toISOString();
      try {
        await delivery.transport.send({
          to,
          subject: 'You have been invited',
          text: `You have been invited to join the team.\n\nAccept the invite: ${link}\n\nThe link expires at ${expires}.\n`,
        });
      } catch (err) {
        if (err instanceof PermanentDeliveryError) {
          throw ApplicationFailure.create({ type: 'delivery_permanent', message: err.message, nonRetryable: true });
        }
        throw err;
      }
      await store.setInviteDelivery(claims.inviteId, 'sent');
    },

    /** Mails a single-use reset link when the e-mail has a login; returns its entity id, or null. */
    async sendPasswordReset(email: string): Promise<string | null> {
      const login = await store.findEmailpassLogin(email);
      if (!login?.passwordHash) return null;
      const entityId = normalizeEmail(email);
      const link = tokenLink(
        delivery.resetUrl ?? delivery.acceptUrl,
        await signResetToken(entityId, login.passwordHash, tokens.secret),
      );
      await delivery.transport.send({
        to: entityId,
        subject: 'Reset your password',
        text: `Someone asked to reset your password.\n\nChoose a new one: ${link}\n\nThe link works once and expires in 15 minutes. If it was not you, ignore this message.\n`,
      });
      return entityId;
    },
  };
}
