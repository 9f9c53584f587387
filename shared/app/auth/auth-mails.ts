// The mails of sign-up: the verification link, and the note an existing owner gets when someone
// registers with their address (the route answers both cases alike; only the mailbox tells). And
// the password-reset link.
import type { Mail } from '../../ports/security.js';

/** `${base}/path?query` without doubling a slash the configured base ends with. */
export function appLink(
  appBaseUrl: string,
  path: string,
  query: Readonly<Record<string, string>> = {},
): string {
  const search = new URLSearchParams(query).toString();
  return `${appBaseUrl.replace(/\/+$/, '')}${path}${search ? `?${search}` : ''}`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function verificationMail(to: string, link: string, validHours: number): Mail {
  return {
    to,
    purpose: 'verify-email',
    subject: 'Confirm your email address for Verzek AutoTrader',
    text: [
      'Welcome to Verzek AutoTrader.',
      '',
      'Open this link to confirm your email address:',
      link,
      '',
      `The link works once and expires in ${validHours} hours. If you did not sign up, ignore this mail.`,
    ].join('\n'),
    html: [
      '<p>Welcome to Verzek AutoTrader.</p>',
      `<p><a href="${escapeHtml(link)}">Confirm your email address</a></p>`,
      `<p>The link works once and expires in ${validHours} hours. If you did not sign up, ignore this mail.</p>`,
    ].join('\n'),
  };
}

export function alreadyRegisteredMail(to: string, loginLink: string): Mail {
  return {
    to,
    purpose: 'notification',
    subject: 'Someone tried to sign up with your email address',
    text: [
      'Someone (perhaps you) tried to create a Verzek AutoTrader account with this address, which already has one.',
      '',
      `If it was you, log in here: ${loginLink}`,
      'If you forgot your password, you can reset it there.',
      '',
      'If it was not you, you can ignore this mail: nothing about your account changed.',
    ].join('\n'),
  };
}

export function passwordResetMail(to: string, link: string, validMinutes: number): Mail {
  const closing = `The link works once and expires in ${validMinutes} minutes. Resetting signs you out on every device. If you did not ask for this, ignore this mail: your password stays as it is.`;
  return {
    to,
    purpose: 'password-reset',
    subject: 'Reset your Verzek AutoTrader password',
    text: [
      'Someone (hopefully you) asked to reset the password of your Verzek AutoTrader account.',
      '',
      'Open this link to choose a new password:',
      link,
      '',
      closing,
    ].join('\n'),
    html: [
      '<p>Someone (hopefully you) asked to reset the password of your Verzek AutoTrader account.</p>',
      `<p><a href="${escapeHtml(link)}">Choose a new password</a></p>`,
      `<p>${escapeHtml(closing)}</p>`,
    ].join('\n'),
  };
}
