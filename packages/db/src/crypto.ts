// Hashing conventions tied to the schema: User.passwordHash is an argon2id PHC string;
// ApiToken.secretHash and Invite.tokenHash are the hex SHA-256 of the full secret.

import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, unusable under isolatedModules)
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** False (not an exception) for a malformed stored hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Hex SHA-256 of a token or invite secret, as stored in `secret_hash` / `token_hash`. */
export function hashToken(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export const API_TOKEN_PREFIX = "slw_";

/**
 * A new API token: `slw_` + 32 base32 characters (160 random bits). Show `token` once; store
 * `prefix` and `secretHash` only.
 */
export function generateApiToken(): { token: string; prefix: string; secretHash: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const token = API_TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes);
  return {
    token,
    prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
    secretHash: hashToken(token),
  };
}
