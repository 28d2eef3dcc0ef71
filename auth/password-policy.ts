import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { invalidData } from '../domain';

export const MIN_PASSWORD_LENGTH = 8;
// Long passphrases are welcome (NIST asks for at least 64); the cap only keeps one request cheap.
export const MAX_PASSWORD_LENGTH = 256;
// zxcvbn's cost grows with the length (a 256-character input takes ~0.3 s): judge a prefix this
// long, which is already far beyond guessing when it is not made of common words.
const JUDGED_PREFIX = 64;
// zxcvbn's 0..4 scale: 0-1 fall to an online or fast offline guess; 2 is "somewhat guessable".
const MIN_SCORE = 2;

// The common-password and diceware lists and keyboard layouts, loaded and built once per process on the
// first check: ~20 MB resident that a process which never judges a password should not carry (the worker
// imports auth/ for its tokens only).
let zxcvbn: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  if (!zxcvbn) {
    /* eslint-disable @typescript-eslint/no-require-imports -- required on first use, see above */
    const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    /* eslint-enable @typescript-eslint/no-require-imports */
    zxcvbn = new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  }
  return zxcvbn;
}

// zxcvbn-ts gives warning keys (its translations are a separate package); the ones worth saying.
const WARNINGS: Record<string, string> = {
  topTen: 'it is one of the most used passwords',
  topHundred: 'it is one of the most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is too close to a commonly used password',
  simpleRepeat: 'repeated characters are easy to guess',
  extendedRepeat: 'repeated patterns are easy to guess',
  sequences: 'sequences like abc or 6543 are easy to guess',
  straightRow: 'a row of keys is easy to guess',
  keyPattern: 'a keyboard pattern is easy to guess',
  dates: 'dates are easy to guess',
  recentYears: 'recent years are easy to guess',
  userInputs: 'it contains your e-mail address',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'a single name is easy to guess',
};

/**
 * The password policy (registration, invite accept, user creation, reset): 8 to 256 characters, not
 * only spaces, not the e-mail address (nor its local part), and not guessable by zxcvbn's estimate
 * (common passwords, keyboard walks, repeats, dates). Messages never repeat the password.
 */
export function checkPasswordPolicy(password: unknown, context: { email?: string } = {}): asserts password is string {
  if (typeof password !== 'string') throw invalidData('Password should be a string');
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    throw invalidData(`Password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (length > MAX_PASSWORD_LENGTH)
    throw invalidData(`Password must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  if (password.trim() === '') throw invalidData('Password must not be only spaces');
  const email = context.email?.trim().toLowerCase();
  const local = email?.split('@')[0];
  const lowered = password.trim().toLowerCase();
  if (email && (lowered === email || (local && local.length >= 3 && lowered === local))) {
    throw invalidData('Password must not be the e-mail address');
  }
  const userInputs = [email, local].filter((s): s is string => Boolean(s && s.length >= 3));
  const result = estimator().check(password.slice(0, JUDGED_PREFIX), userInputs);
  if (result.score < MIN_SCORE) {
    const why = result.feedback.warning ? WARNINGS[result.feedback.warning] : undefined;
    throw invalidData(`Password is too easy to guess${why ? `: ${why}` : ''}; use a longer phrase of uncommon words`);
  }
}
