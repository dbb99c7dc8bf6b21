// Password rules (NIST SP 800-63B): 8 to 256 characters, no composition rules, and not a password
// that attackers try first: the 10,000 most common passwords of 8+ characters from zxcvbn's
// ranked list (the @zxcvbn-ts/language-common package) and a few patterns (one repeated character, a run like "12345678" or "abcdefgh", the email address).
// Pure: used by the sign-up and change-password actions and the unit tests.

import { dictionary } from "@zxcvbn-ts/language-common";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./limits";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

const COMMON_PASSWORD_COUNT = 10_000;
let common: Set<string> | undefined;

/**
 * The most common passwords long enough to pass the length rule, lower-cased (built on first
 * use). zxcvbn's list is ranked most common first; shorter entries fail the length rule anyway.
 */
export function commonPasswords(): Set<string> {
  if (!common) {
    common = new Set();
    for (const entry of dictionary["passwords-common"] ?? []) {
      const password = String(entry).toLowerCase();
      if (password.length >= PASSWORD_MIN_LENGTH) common.add(password);
      if (common.size >= COMMON_PASSWORD_COUNT) break;
    }
  }
  return common;
}

const SEQUENCES = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm"];

function isRun(password: string): boolean {
  const p = password.toLowerCase();
  if (/^(.)\1*$/u.test(p)) return true;
  // A slice of an ascending or descending sequence, wrapped around as many times as needed.
  return SEQUENCES.some((seq) => {
    const up = seq.repeat(Math.ceil(p.length / seq.length) + 1);
    const down = [...up].reverse().join("");
    return up.includes(p) || down.includes(p);
  });
}

/** A short, repeated chunk ("abcabcabc", "passpass"). */
function isRepetition(password: string): boolean {
  return /^(.{1,4})\1+$/u.test(password.toLowerCase());
}

/**
 * Null when the password is acceptable, else the message to show next to the field.
 * Length counts Unicode code points, so emoji and accented letters count once.
 */
export function checkPassword(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters (this one has ${length}).`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `Use at most ${PASSWORD_MAX_LENGTH} characters (this one has ${length}).`;
  }
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    return "This is one of the most common passwords, the first an attacker tries. Choose another.";
  }
  if (isRun(password) || isRepetition(password)) {
    return "This password is a simple pattern (repeated or sequential characters). Choose another.";
  }
  const email = context.email?.trim().toLowerCase();
  if (email && (lower === email || lower === email.split("@")[0])) {
    return "Do not use your email address as your password.";
  }
  return null;
}
