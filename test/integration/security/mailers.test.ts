// Mail: ResendMailer against a fake Resend on loopback (payload, bearer key, errors without the key),
// the local outbox and its reader, mailerFor's choice, and GET /api/dev/outbox's handler.
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  MailDeliveryError,
  mailerFor,
  OutboxMailer,
  ResendMailer,
  readOutbox,
} from '../../../shared/adapters/security/mailers.js';
import { ConfigError } from '../../../shared/config/env.js';
import type { Mail } from '../../../shared/ports/security.js';
import { FakeResend } from '../../support/fake-resend.js';
import { type LocalServices, startLocalServices } from '../../support/local-services.js';

const FROM = 'Verzek AutoTrader <no-reply@verzek.app>';
const mail: Mail = {
  to: 'trader@example.com',
  subject: 'Confirm your email',
  text: 'Open https://app.example/verify?token=abc to confirm.',
  html: '<p>Open <a href="https://app.example/verify?token=abc">this link</a>.</p>',
  purpose: 'verify-email',
};

describe('ResendMailer against a fake Resend', () => {
  let fake: FakeResend;
  let url: string;
  beforeAll(async () => {
    fake = new FakeResend();
    url = await fake.start();
  });
  afterAll(async () => {
    await fake?.close();
  });
  afterEach(() => {
    fake.sent.length = 0;
  });

  it('posts from, to, subject, text, html and the purpose tag with the bearer key', async () => {
    const mailer = new ResendMailer({ apiKey: fake.apiKey, from: FROM, baseUrl: url });
    await mailer.send(mail);
    expect(fake.sent).toHaveLength(1);
    const [sent] = fake.sent;
    expect(sent?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent?.body).toMatchObject({
      from: FROM,
      to: ['trader@example.com'],
      subject: 'Confirm your email',
      text: mail.text,
      html: mail.html,
      tags: [{ name: 'purpose', value: 'verify-email' }],
    });
  });

  it('sends a text-only mail without an html field, and loads the key lazily, once', async () => {
    let loads = 0;
    const mailer = new ResendMailer({
      apiKey: async () => {
        loads++;
        return fake.apiKey;
      },
      from: FROM,
      baseUrl: `${url}/`,
    });
    const { html: _html, ...textOnly } = mail;
    expect(loads).toBe(0);
    await mailer.send({ ...textOnly, purpose: 'notification' });
    await mailer.send({ ...textOnly, purpose: 'notification' });
    expect(loads).toBe(1);
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[0]?.body).not.toHaveProperty('html');
    expect(fake.sent[0]?.tags).toEqual([{ name: 'purpose', value: 'notification' }]);
  });

  it('surfaces a 422 as a MailDeliveryError that does not carry the key', async () => {
    const mailer = new ResendMailer({ apiKey: fake.apiKey, from: FROM, baseUrl: url });
    fake.fail({ kind: 'validation', message: 'Invalid `to` field.' });
    const error = await mailer.send(mail).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect((error as MailDeliveryError).status).toBe(422);
    expect((error as MailDeliveryError).retryable).toBe(false);
    expect((error as Error).message).toContain('Invalid `to` field.');
    expect((error as Error).message).not.toContain(fake.apiKey);
    expect(fake.sent).toHaveLength(0);
  });

  it('redacts the key even when Resend echoes it back', async () => {
    const mailer = new ResendMailer({ apiKey: fake.apiKey, from: FROM, baseUrl: url });
    fake.fail({ kind: 'echo-key' });
    const error = (await mailer.send(mail).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(fake.apiKey);
    expect(JSON.stringify(error)).not.toContain(fake.apiKey);
  });

  it('marks a 429 and an unreachable Resend as worth retrying', async () => {
    const mailer = new ResendMailer({ apiKey: fake.apiKey, from: FROM, baseUrl: url });
    fake.fail({ kind: 'rate-limit', retryAfterSeconds: 2 });
    const limited = (await mailer.send(mail).catch((e: unknown) => e)) as MailDeliveryError;
    expect(limited.status).toBe(429);
    expect(limited.retryable).toBe(true);

    const nowhere = new ResendMailer({ apiKey: fake.apiKey, from: FROM, baseUrl: 'http://127.0.0.1:9' });
    const unreachable = (await nowhere.send(mail).catch((e: unknown) => e)) as MailDeliveryError;
    expect(unreachable).toBeInstanceOf(MailDeliveryError);
    expect(unreachable.status).toBeNull();
    expect(unreachable.retryable).toBe(true);
  });

  it('refuses a wrong key (403) without showing either key', async () => {
    const mailer = new ResendMailer({ apiKey: 're_wrong_key_123456', from: FROM, baseUrl: url });
    const error = (await mailer.send(mail).catch((e: unknown) => e)) as MailDeliveryError;
    expect(error.status).toBe(403);
    expect(error.message).not.toContain('re_wrong_key_123456');
    expect(error.message).not.toContain(fake.apiKey);
  });

  it('mailerFor sends through Resend at RESEND_BASE_URL when no outbox is set', async () => {
    const mailer = mailerFor(
      { STAGE: 'dev', MAIL_FROM: FROM, LOCAL_OUTBOX_DIR: undefined, RESEND_BASE_URL: url },
      async () => fake.apiKey,
    );
    expect(mailer).toBeInstanceOf(ResendMailer);
    await mailer.send(mail);
    expect(fake.sent.map((m) => m.to)).toEqual([['trader@example.com']]);
  });
});

describe('OutboxMailer and readOutbox', () => {
  it('writes one JSON file per mail and reads them back newest first', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'verzek-outbox-')), 'nested');
    const times = ['2030-01-01T00:00:01.000Z', '2030-01-01T00:00:03.000Z', '2030-01-01T00:00:02.000Z'];
    let i = 0;
    const outbox = new OutboxMailer(dir, () => new Date(times[i++] as string));
    await outbox.send({ ...mail, subject: 'first' });
    await outbox.send({ ...mail, subject: 'third', purpose: 'password-reset' });
    await outbox.send({ ...mail, subject: 'second' });
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toHaveLength(3);
    // Stray files are ignored: a partial write, something that is not a mail.
    await writeFile(join(dir, '.half-written.json.tmp'), '{"to":');
    await writeFile(join(dir, 'junk.json'), '{"hello":1}');
    const entries = await readOutbox(dir);
    expect(entries.map((e) => e.subject)).toEqual(['third', 'second', 'first']);
    expect(entries[0]).toEqual({
      to: mail.to,
      subject: 'third',
      text: mail.text,
      html: mail.html,
      purpose: 'password-reset',
      sentAt: '2030-01-01T00:00:03.000Z',
    });
  });

  it('reads an outbox nobody wrote to as empty', async () => {
    expect(await readOutbox(join(tmpdir(), `verzek-no-outbox-${Date.now()}`))).toEqual([]);
  });

  it('mailerFor picks the outbox locally and refuses it on a cloud stage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verzek-outbox-'));
    const env = { MAIL_FROM: FROM, LOCAL_OUTBOX_DIR: dir, RESEND_BASE_URL: undefined };
    expect(mailerFor({ ...env, STAGE: 'local' })).toBeInstanceOf(OutboxMailer);
    expect(() => mailerFor({ ...env, STAGE: 'prod' })).toThrow(ConfigError);
  });
});

describe('GET /api/dev/outbox (DevOutbox)', () => {
  let services: LocalServices;
  beforeAll(async () => {
    services = await startLocalServices();
  });
  afterAll(async () => {
    await services?.stop();
  });

  const context = { functionName: 'DevOutbox', awsRequestId: 'test' } as unknown as Context;
  const event = {
    version: '2.0',
    routeKey: 'GET /api/dev/outbox',
    rawPath: '/api/dev/outbox',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET', path: '/api/dev/outbox', sourceIp: '127.0.0.1' } },
  } as unknown as APIGatewayProxyEventV2;

  it('lists the local outbox newest first: to, subject, text, purpose, sentAt', async () => {
    const dir = services.env.LOCAL_OUTBOX_DIR as string;
    const { handler } = await import('../../../functions/api/dev-outbox.js');
    const empty = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    expect(empty.statusCode).toBe(200);
    expect(JSON.parse(empty.body ?? '')).toEqual({ items: [] });

    const outbox = new OutboxMailer(dir, () => new Date('2030-05-05T10:00:00.000Z'));
    await outbox.send({ ...mail, subject: 'older' });
    const later = new OutboxMailer(dir, () => new Date('2030-05-05T10:00:05.000Z'));
    await later.send({ ...mail, subject: 'newer' });

    const answer = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body ?? '')).toEqual({
      items: [
        {
          to: mail.to,
          subject: 'newer',
          text: mail.text,
          purpose: 'verify-email',
          sentAt: '2030-05-05T10:00:05.000Z',
        },
        {
          to: mail.to,
          subject: 'older',
          text: mail.text,
          purpose: 'verify-email',
          sentAt: '2030-05-05T10:00:00.000Z',
        },
      ],
    });
  });
});
