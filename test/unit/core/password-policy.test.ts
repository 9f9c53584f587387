// The password policy: length 12..128, not the email, not a pattern, not a common password.
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from '../../../shared/core/security/password-policy.js';

const email = 'jane.doe@example.com';
const problems = (password: string) => checkPasswordPolicy(password, { email });

describe('checkPasswordPolicy', () => {
  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3xylophone',
    'mellow-otter-47-quartz',
    'zq9!Lm2#vX8@', // exactly 12
    'ünïcödé-pässwörd-ok',
    `${'a'.repeat(60)}bcdefghijk`, // long with enough distinct characters, not a known word
  ])('accepts %s', (password) => {
    expect(problems(password)).toEqual([]);
  });

  it('refuses fewer than 12 characters, counting characters rather than UTF-16 units', () => {
    expect(problems('zq9!Lm2#vX8')).toEqual(['must be at least 12 characters long']);
    // 11 astral characters are 22 UTF-16 units but still 11 characters.
    expect(problems('😀😃😄😁😆😅🤣😂🙂🙃😉')).toContain('must be at least 12 characters long');
  });

  it('refuses more than 128 characters', () => {
    expect(problems('x7Q!mz9P'.repeat(16))).toEqual([]);
    expect(problems(`${'x7Q!mz9P'.repeat(16)}z`)).toEqual(['must be at most 128 characters long']);
  });

  it.each([
    'jane.doe@example.com',
    'JANE.DOE@EXAMPLE.COM',
    'jane.doe', // too short as well
    'jane.doe2024!',
  ])('refuses the email or its name part: %s', (password) => {
    expect(problems(password)).toContain('must not be your email address or its name part');
  });

  it.each(['aaaaaaaaaaaaaaaa', 'abababababababab', '111122223333', '!!!!????....'])(
    'refuses a tiny set of characters: %s',
    (password) => {
      expect(problems(password)).toContain('must use at least 5 different characters');
    },
  );

  it.each(['123456789012', '987654321098', 'abcdefghijklmn', 'qwertyuiopasdf', '1q2w3e4r5t6y'])(
    'refuses a run of keys or letters: %s',
    (password) => {
      expect(problems(password)).toContain('must not be a run of keys or letters in order');
    },
  );

  it.each([
    'password1234',
    'Password2024!',
    'P@ssw0rd2024!',
    'passwordpassword',
    'iloveyou1234',
    'letmein12345',
    'Football#2023',
    'qwertyqwertyqwerty',
    'verzek123456',
    '2024bitcoin!!',
  ])('refuses a common password or a variation of one: %s', (password) => {
    expect(problems(password)).toContain(
      'is one of the most common passwords; choose something less guessable',
    );
  });

  it('never echoes the password in its messages', () => {
    const password = 'Password2024!';
    for (const message of problems(password)) expect(message).not.toContain(password);
  });
});
