// The password rules a new password must pass (NIST SP 800-63B style): long enough, not the account's
// own email, not built from a tiny set of characters or an obvious sequence, and not one of the
// passwords attackers try first. No composition rules ("one upper, one digit"): length and a
// blocklist stop guessing better and annoy less. Pure: the caller hashes what passes.

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Below this many different characters a password is a pattern, not a secret ("aaaa…", "abab…"). */
const MIN_DISTINCT_CHARACTERS = 5;

/**
 * The most common breached passwords and the words they are made of, lower case, after undoing
 * leetspeak. A password whose core (digits and symbols stripped from both ends) is one of these, or
 * a repetition of one, is refused: "Password2024!" and "qwertyqwerty" are the first guesses.
 */
const COMMON_PASSWORDS = new Set([
  'password',
  'passw0rd',
  'passwort',
  'pass',
  'qwerty',
  'qwertyuiop',
  'qwertyuiopasdfghjkl',
  'asdfghjkl',
  'zxcvbnm',
  'qwertz',
  'azerty',
  'abc',
  'abcdef',
  'abcdefg',
  'abcdefghijkl',
  'letmein',
  'iloveyou',
  'admin',
  'administrator',
  'welcome',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'soccer',
  'sunshine',
  'princess',
  'trustno',
  'master',
  'shadow',
  'superman',
  'batman',
  'starwars',
  'michael',
  'jennifer',
  'charlie',
  'login',
  'secret',
  'changeme',
  'default',
  'hello',
  'helloworld',
  'freedom',
  'whatever',
  'computer',
  'internet',
  'killer',
  'hunter',
  'ninja',
  'mustang',
  'access',
  'flower',
  'loveme',
  'lovely',
  'summer',
  'winter',
  'spring',
  'autumn',
  'bitcoin',
  'crypto',
  'ethereum',
  'blockchain',
  'trading',
  'trader',
  'moon',
  'lambo',
  'hodl',
  // The service's own name: the first thing an attacker of this site tries.
  'verzek',
  'verzekautotrader',
  'autotrader',
]);

/** Runs of characters in keyboard or alphabet order ("123456789012", "abcdefghijkl", "qwertyuiop"). */
const SEQUENCES = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'qwertzuiopasdfghjklyxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
];

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
  '+': 't',
};

const undoLeet = (text: string) => [...text].map((c) => LEET[c] ?? c).join('');

/** The password without leading and trailing digits and symbols: "Summer2024!" → "summer". */
const core = (lower: string) => lower.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');

/** `text` is `unit` repeated (at least once), e.g. "abcabcabc" of "abc". */
function isRepetitionOf(text: string, unit: string): boolean {
  if (unit.length === 0 || text.length % unit.length !== 0) return false;
  return unit.repeat(text.length / unit.length) === text;
}

/** Is `text` a repetition of a common password or word? Checks each divisor-length prefix as the unit. */
function isCommon(text: string): boolean {
  if (text.length === 0) return false;
  for (let size = 1; size <= text.length; size++) {
    const unit = text.slice(0, size);
    if (COMMON_PASSWORDS.has(unit) && isRepetitionOf(text, unit)) return true;
  }
  return false;
}

/** Is `lower` (or its reverse) a run along one of the known sequences, wrapping as "…7890123…" does? */
function isSequence(lower: string): boolean {
  const reversed = [...lower].reverse().join('');
  return SEQUENCES.some((sequence) => {
    const doubled = sequence + sequence;
    return doubled.includes(lower) || doubled.includes(reversed);
  });
}

/**
 * The problems with `password` for the account with this email; an empty list means it is
 * acceptable. Messages are for the person choosing the password and never echo it.
 */
export function checkPasswordPolicy(password: string, context: { readonly email: string }): string[] {
  const problems: string[] = [];
  // Length in characters as the person typed them (code points), not UTF-16 units.
  const characters = [...password];
  if (characters.length < PASSWORD_MIN_LENGTH) {
    problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  }
  if (characters.length > PASSWORD_MAX_LENGTH) {
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
    // Longer input is not analysed further: refusing it is enough, and the checks below are linear
    // in the length anyway.
    return problems;
  }

  const lower = password.normalize('NFKC').toLowerCase();
  const email = context.email.trim().toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  if (lower === email || (localPart.length > 0 && (lower === localPart || core(lower) === localPart))) {
    problems.push('must not be your email address or its name part');
  }

  if (new Set(characters).size < MIN_DISTINCT_CHARACTERS) {
    problems.push(`must use at least ${MIN_DISTINCT_CHARACTERS} different characters`);
  } else if (isSequence(lower)) {
    problems.push('must not be a run of keys or letters in order');
  }

  const candidates = new Set([lower, core(lower), undoLeet(core(lower)), core(undoLeet(lower))]);
  if ([...candidates].some(isCommon)) {
    problems.push('is one of the most common passwords; choose something less guessable');
  }
  return problems;
}
