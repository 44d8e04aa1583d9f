import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../common/net/free-port.js';

export interface ReceivedMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** Refuses the next `n` messages with a temporary failure (451), as a busy server does. */
  refuseNext(n: number): void;
  /**
   * Holds the next message unanswered, as a slow server does: `held` resolves once its data has arrived,
   * `drop()` then refuses it (421) without keeping it: a message the server never accepted.
   */
  holdNext(): { held: Promise<void>; drop(): void };
  /** Resolves once `n` messages arrived (bounded by `ms`). */
  until(n: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server (nodemailer's smtp-server) on 127.0.0.1, keeping what it receives, parsed. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let refuse = 0;
  let hold: { arrived: () => void; answer?: (err: Error) => void } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      void simpleParser(stream).then(
        (mail) => {
          if (hold) {
            const h = hold;
            hold = undefined;
            h.answer = (err) => callback(err);
            h.arrived();
            return;
          }
          if (refuse > 0) {
            refuse--;
            const err = new Error('try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            callback(err);
            return;
          }
          received.push({
            to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
            subject: mail.subject ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseNext: (n) => {
      refuse = n;
    },
    holdNext() {
      let arrived!: () => void;
      const held = new Promise<void>((r) => (arrived = r));
      const h: NonNullable<typeof hold> = { arrived };
      hold = h;
      return {
        held,
        drop: () => {
          const err = new Error('service not available') as Error & { responseCode: number };
          err.responseCode = 421;
          h.answer?.(err);
        },
      };
    },
    async until(n, ms = 30_000) {
      const deadline = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`${received.length} of ${n} mails arrived in ${ms} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
