import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { signInviteToken, signResetToken } from '../auth';
import { normalizeEmail, tokenLink, type InviteTokenClaims } from '../domain';
import type { Store } from '../store';
import type { InviteTokenSettings } from './invites';
import { PermanentDeliveryError, type MailTransport } from './mail-transport';

// Attempts at one mail within a bulk delivery before it is marked failed (resend tries it again).
const BULK_SEND_ATTEMPTS = 3;

export interface DeliverySettings {
  transport: MailTransport;
  /** The invitee's page; the token is added as `?token=`. */
  acceptUrl: string;
  /** The password-reset page; the token is added as `?token=`. */
  resetUrl?: string;
}

export function deliveryActivities(store: Store, tokens: InviteTokenSettings, delivery: DeliverySettings) {
  const inviteMessage = async (claims: InviteTokenClaims, to: string) => {
    const link = tokenLink(delivery.acceptUrl, await signInviteToken(claims, tokens.secret));
    const expires = new Date(claims.exp * 1000).toISOString();
    return {
      to,
      subject: 'You have been invited',
      text: `You have been invited to join the team.\n\nAccept the invite: ${link}\n\nThe link expires at ${expires}.\n`,
    };
  };

  return {
    /**
     * Sends the invite with its accept link, then marks it sent when the database answers: true when it
     * did. The token is re-signed here from its claims, so it never passes through Temporal.
     * At-least-once: a retry after a lost acknowledgement may send twice.
     */
    async sendInvite(claims: InviteTokenClaims, to: string): Promise<boolean> {
      try {
        await delivery.transport.send(await inviteMessage(claims, to));
      } catch (err) {
        if (err instanceof PermanentDeliveryError) {
          throw ApplicationFailure.create({ type: 'delivery_permanent', message: err.message, nonRetryable: true });
        }
        throw err;
      }
      // Marking it here spares the flow a step. A database fault must not fail this activity: its retry
      // would send the mail again. The flow marks it itself then, retried until done.
      try {
        await store.setInviteDelivery(claims.inviteId, 'sent');
        return true;
      } catch (err) {
        log.warn('invite sent, not yet marked sent: the flow marks it', { error: (err as Error).message });
        return false;
      }
    },

    /**
     * Bulk delivery (a batch of a bulk create, after its commit point): sends each invite still
     * pending, tries a transient failure a few times, marks the sent ones in one statement and each
     * failed one with its reason and an `invite.delivery_failed` event (id fixed by invite and token, so a
     * retry records it once). Never fails for a mail (resend retries those); a database fault is retried
     * by Temporal, and a retry skips the invites already marked. At-least-once, as sendInvite.
     */
    async deliverInvites(
      items: { claims: InviteTokenClaims; email: string }[],
    ): Promise<{ sent: number; failed: number }> {
      const pending = new Set(await store.invitesAwaitingDelivery(items.map((i) => i.claims.inviteId)));
      const sent: string[] = [];
      const failed: { id: string; jti: string; reason: string }[] = [];
      for (const { claims, email } of items.filter((i) => pending.has(i.claims.inviteId))) {
        const message = await inviteMessage(claims, email);
        for (let attempt = 1; ; attempt++) {
          try {
            await delivery.transport.send(message);
            sent.push(claims.inviteId);
            break;
          } catch (err) {
            if (err instanceof PermanentDeliveryError || attempt >= BULK_SEND_ATTEMPTS) {
              failed.push({ id: claims.inviteId, jti: claims.jti, reason: (err as Error).message.split('\n')[0] });
              break;
            }
            await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
          }
        }
        if (sent.length >= 100) await store.markInvitesSent(sent.splice(0));
      }
      await store.markInvitesSent(sent);
      for (const f of failed) await store.setInviteDelivery(f.id, 'failed', f.reason);
      await store.recordEvents(
        failed.map((f) => ({
          id: `evt_delivery_failed_${f.id}_${f.jti}`,
          name: 'invite.delivery_failed',
          payload: { id: f.id },
        })),
      );
      return { sent: pending.size - failed.length, failed: failed.length };
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
