import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** How invite messages leave usermod. Throw PermanentDeliveryError when retrying cannot help. */
export interface MailTransport {
  readonly name: string;
  send(message: MailMessage): Promise<void>;
}

export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * Default (zero-setup) transport: each message is appended as one JSON line to a mailbox file in the
 * data folder. The file is the invitee's mailbox stand-in, so it holds the link; the application log never does.
 */
export function fileTransport(path: string): MailTransport {
  return {
    name: 'file',
    async send(message) {
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify({ ...message, at: new Date().toISOString() })}\n`, { mode: 0o600 });
    },
  };
}

/** SMTP through nodemailer. 5xx answers are permanent (bad recipient, refused); the rest are retried. */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(message) {
      try {
        await transporter.sendMail({ from, ...message });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new PermanentDeliveryError(`SMTP refused the message (${code})`);
        throw new Error(`SMTP delivery failed: ${(err as Error).message}`);
      }
    },
  };
}
