import { parseArg, parsePairs } from "../parser/instructions.ts";
import type { Rule } from "./types.ts";
import { simpleOnbuild } from "./util.ts";

export const SENSITIVE_NAMES = new Set(
  `ACCESS_TOKEN APPLICATION_KEY APP_SECRET AUTH_TOKEN AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  BITTREX_API_KEY BITTREX_API_SECRET CF_PASSWORD CF_USERNAME CIRCLE_TOKEN CI_DEPLOY_PASSWORD
  CI_DEPLOY_USER DOCKERHUB_PASSWORD DOCKER_EMAIL DOCKER_PASSWORD DOCKER_USERNAME
  FACEBOOK_ACCESS_TOKEN FACEBOOK_APP_ID FACEBOOK_APP_SECRET FIREBASE_API_TOKEN FIREBASE_TOKEN
  FOSSA_API_KEY GH_ENTERPRISE_TOKEN GH_TOKEN GITHUB_ENTERPRISE_TOKEN GITHUB_TOKEN HEROKU_API_KEY
  HEROKU_API_USER NPM_AUTH_TOKEN NPM_TOKEN OKTA_AUTHN_GROUPID OKTA_CLIENT_ORGURL OKTA_CLIENT_TOKEN
  OKTA_OAUTH2_CLIENTID OKTA_OAUTH2_CLIENTSECRET OPENAI_API_KEY OS_PASSWORD OS_USERNAME
  POSTGRES_PASSWORD SLACK_TOKEN STRIPE_API_KEY STRIPE_DEVICE_NAME TRAVIS_OS_NAME
  TRAVIS_SECURE_ENV_VARS TRAVIS_SUDO VAULT_CLIENT_KEY VAULT_TOKEN`.split(/\s+/),
);
export const SUSPICIOUS = [
  "api_key",
  "client_key",
  "password",
  "private",
  "secret",
  "token",
  "username",
];

const sensitiveCache = new Map<string, boolean>();

export function isSensitiveName(name: string): boolean {
  let v = sensitiveCache.get(name);
  if (v === undefined) {
    const lower = name.toLowerCase();
    v = SENSITIVE_NAMES.has(name.toUpperCase()) || SUSPICIOUS.some((s) => lower.includes(s));
    if (sensitiveCache.size >= 1000) sensitiveCache.clear();
    sensitiveCache.set(name, v);
  }
  return v;
}

export const DL3064: Rule = {
  code: "DL3064",
  source: "hadolint",
  severity: "warning",
  message: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
  explanation:
    "ARG and ENV values are stored in the image history and metadata. Pass secrets with `RUN --mount=type=secret` instead.",
  examples: {
    bad: "FROM alpine:3.20\nARG GITHUB_TOKEN",
    good: "FROM alpine:3.20\nRUN --mount=type=secret,id=github_token cat /run/secrets/github_token >/dev/null",
  },
  check: simpleOnbuild((i) => {
    if (i.keyword === "ARG") return isSensitiveName(parseArg(i).name);
    if (i.keyword === "ENV") return parsePairs(i).some(([k]) => isSensitiveName(k));
    return false;
  }),
};
