// Sending mail: Resend in the cloud, a directory of JSON files (the outbox) in the local run, where
// GET /api/dev/outbox lists them so a developer can click the verification link. `mailerFor` picks
// one from the environment, once, at cold start.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resend } from 'resend';
import { ConfigError, type Env } from '../../config/env.js';
import { loadSecret } from '../../config/secrets.js';
import type { Mail, Mailer } from '../../ports/security.js';

/** Resend's API, used unless a base URL is configured (tests point it at a fake on loopback). */
export const RESEND_DEFAULT_BASE_URL = 'https://api.resend.com';

/** Resend refused or could not take the mail. The message never holds the API key. */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    message: string,
    /** Resend's HTTP status, or null when it could not be reached. */
    readonly status: number | null,
    /** Worth trying again later (rate limited, Resend's own failure, unreachable). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface ResendMailerOptions {
  /** The key itself, or how to load it (once, on the first mail: a Secrets Manager read at most). */
  readonly apiKey: string | (() => Promise<string>);
  /** The sender, e.g. "Verzek AutoTrader <no-reply@verzek.app>" (a domain verified in Resend). */
  readonly from: string;
  /** Default Resend's API. */
  readonly baseUrl?: string | undefined;
}

export class ResendMailer implements Mailer {
  private client: Promise<{ client: Resend; apiKey: string }> | undefined;

  constructor(private readonly options: ResendMailerOptions) {}

  /**
   * The `resend` client reads RESEND_BASE_URL from process.env when no base URL is given. We always
   * pass one explicitly (the configured URL or Resend's own), so where mail goes is decided by the
   * parsed configuration alone, and nothing here reads or writes the global environment.
   */
  private resend(): Promise<{ client: Resend; apiKey: string }> {
    if (!this.client) {
      const pending = (async () => {
        const apiKey =
          typeof this.options.apiKey === 'string' ? this.options.apiKey : await this.options.apiKey();
        // An empty key would make the client fall back to process.env.RESEND_API_KEY: refuse instead.
        if (!apiKey) throw new ConfigError('RESEND_API_KEY is empty');
        const baseUrl = (this.options.baseUrl ?? RESEND_DEFAULT_BASE_URL).replace(/\/+$/, '');
        return { client: new Resend(apiKey, { baseUrl }), apiKey };
      })();
      // A failed secret read is tried again on the next mail, not cached for the container's life.
      pending.catch(() => {
        if (this.client === pending) this.client = undefined;
      });
      this.client = pending;
    }
    return this.client;
  }

  async send(mail: Mail): Promise<void> {
    const { client, apiKey } = await this.resend();
    // The client never throws for an HTTP or network failure: it answers `{ data, error }`.
    const { error } = await client.emails.send({
      from: this.options.from,
      to: [mail.to],
      subject: mail.subject,
      text: mail.text,
      ...(mail.html === undefined ? {} : { html: mail.html }),
      // Tag names and values: ASCII letters, digits, '_' and '-' (Resend's rule); purposes are.
      tags: [{ name: 'purpose', value: mail.purpose }],
    });
    if (!error) return;
    const status = error.statusCode ?? null;
    const retryable = status === null || status === 429 || status >= 500;
    // Resend's words, with the key cut out should an error ever echo it (a proxy, a debug reply).
    const said = `${error.name}: ${error.message}`.split(apiKey).join('[redacted]');
    throw new MailDeliveryError(
      `Resend did not accept the mail (${status ?? 'unreachable'}, ${said})`,
      status,
      retryable,
    );
  }
}

/** One mail as the outbox stores it, and as GET /api/dev/outbox lists it. */
export interface OutboxEntry {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly purpose: Mail['purpose'];
  /** ISO-8601 instant. */
  readonly sentAt: string;
}

/** Local run: each mail becomes one JSON file in `dir` (created on demand). */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(mail: Mail): Promise<void> {
    const sentAt = this.now().toISOString();
    const entry: OutboxEntry = {
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html === undefined ? {} : { html: mail.html }),
      purpose: mail.purpose,
      sentAt,
    };
    await mkdir(this.dir, { recursive: true });
    const name = `${sentAt.replace(/[:.]/g, '-')}-${randomUUID()}.json`;
    // Written aside, then renamed: a reader never sees half a mail (readOutbox skips `.tmp`).
    const temporary = join(this.dir, `.${name}.tmp`);
    await writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, join(this.dir, name));
  }
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  const v = value as Record<string, unknown> | null;
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof v.to === 'string' &&
    typeof v.subject === 'string' &&
    typeof v.text === 'string' &&
    typeof v.purpose === 'string' &&
    typeof v.sentAt === 'string'
  );
}

/** The outbox's mails, newest first; an outbox nobody wrote to yet is empty. */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: { name: string; entry: OutboxEntry }[] = [];
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch {
      continue; // not one of ours (or removed meanwhile): the outbox is a dev aid, not a ledger
    }
    if (isOutboxEntry(parsed)) entries.push({ name, entry: parsed });
  }
  // By time sent, then by file name (time-prefixed) for mails within the same millisecond.
  entries.sort((a, b) =>
    a.entry.sentAt === b.entry.sentAt
      ? b.name.localeCompare(a.name)
      : b.entry.sentAt.localeCompare(a.entry.sentAt),
  );
  return entries.map((e) => e.entry);
}

export type MailerEnv = Pick<Env, 'STAGE' | 'MAIL_FROM' | 'LOCAL_OUTBOX_DIR' | 'RESEND_BASE_URL'>;

/**
 * The outbox where LOCAL_OUTBOX_DIR is set (the local run only: anywhere else that is a
 * misconfiguration that would drop every mail, so it stops start-up), Resend otherwise.
 */
export function mailerFor(
  env: MailerEnv,
  loadApiKey: () => Promise<string> = () => loadSecret('RESEND_API_KEY'),
): Mailer {
  if (env.LOCAL_OUTBOX_DIR) {
    if (env.STAGE !== 'local') {
      throw new ConfigError(
        `LOCAL_OUTBOX_DIR is set on stage ${env.STAGE}: mails would never leave the function`,
      );
    }
    return new OutboxMailer(env.LOCAL_OUTBOX_DIR);
  }
  return new ResendMailer({ apiKey: loadApiKey, from: env.MAIL_FROM, baseUrl: env.RESEND_BASE_URL });
}
