import { ApplicationFailure } from '@temporalio/common';
import { signInviteToken, type InviteTokenClaims } from '../auth/invite-token';
import { PermanentDeliveryError, type MailTransport } from '../delivery/transport';
import type { Store } from '../store';
import type { InviteTokenSettings } from './invites';

export interface DeliverySettings {
  transport: MailTransport;
  /** The invitee's page; the token is added as `?token=`. */
  acceptUrl: string;
}

export function acceptLink(acceptUrl: string, token: string): string {
  const url = new URL(acceptUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

export function deliveryActivities(store: Store, tokens: InviteTokenSettings, delivery: DeliverySettings) {
  return {
    /**
     * Sends the invite with its accept link. The token is re-signed here from its claims, so it never
     * passes through Temporal. At-least-once: a retry after a lost acknowledgement may send twice.
     */
    async sendInvite(claims: InviteTokenClaims): Promise<void> {
      const invite = await store.retrieveInvite(claims.inviteId);
      const link = acceptLink(delivery.acceptUrl, await signInviteToken(claims, tokens.secret));
      const expires = new Date(claims.exp * 1000).toISOString();
      try {
        await delivery.transport.send({
          to: invite.email,
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

    /** Delivery gave up: the invite stays (it can be resent); only its delivery status says so. */
    async markInviteDeliveryFailed(inviteId: string, reason: string): Promise<void> {
      await store.setInviteDelivery(inviteId, 'failed', reason);
    },
  };
}
