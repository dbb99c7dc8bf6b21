// Invite links: `inv_` + 32 base32 characters (160 random bits). The link is shown once; only
// the hex SHA-256 is stored (Invite.tokenHash), like API tokens.

import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { hashToken } from "./crypto.ts";

export const INVITE_TOKEN_PREFIX = "inv_";

export function generateInviteToken(): { token: string; tokenHash: string } {
  const token =
    INVITE_TOKEN_PREFIX +
    encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
  return { token, tokenHash: hashToken(token) };
}
