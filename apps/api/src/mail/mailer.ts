import { Global, Inject, Injectable, Module } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { ENV, type Env } from '../config/env.js';

export interface Mail {
  to: string;
  subject: string;
  html: string;
  text?: string;
  /** Stable per message: a resend after a crash carries the same Message-ID, so a mail system can drop it. */
  messageId: string;
}

/** Sends mail over SMTP_URL (nodemailer); `configured` is false without it. */
@Injectable()
export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(@Inject(ENV) private readonly env: Env) {
    this.transport = env.SMTP_URL ? nodemailer.createTransport(smtpOptions(env.SMTP_URL)) : undefined;
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transport) throw new Error('no SMTP server configured (SMTP_URL)');
    await this.transport.sendMail({
      from: this.env.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
    });
  }
}

/** The URL's server and login, with timeouts: a hung SMTP server fails the job's try instead of holding it. */
function smtpOptions(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
    secure: u.protocol === 'smtps:',
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

@Global()
@Module({ providers: [Mailer], exports: [Mailer] })
export class MailModule {}
