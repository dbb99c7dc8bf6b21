import { goQuote } from "../../buildkit/words.ts";
import { buildkitRule, Findings, model } from "./util.ts";

const DENY =
  /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOW = /(?:_|^)(?:public|file|version)(?:_|$)/i;

/** BuildKit's test for names that look like they hold a secret. */
export function isSecretName(key: string): boolean {
  return DENY.test(key) && !ALLOW.test(key);
}

export const SecretsUsedInArgOrEnv = buildkitRule(
  "SecretsUsedInArgOrEnv",
  "Sensitive data should not be used in the ARG or ENV commands",
  {
    explanation:
      "ARG and ENV values persist in the image and its history. Use secret mounts (`RUN --mount=type=secret,...`). BuildKit checks the ARGs and ENVs of the stages (not global ARGs) whose name has a word such as key, token, password, secret or auth, unless it also has public, file or version.",
    examples: {
      bad: "FROM alpine\nARG AWS_ACCESS_KEY_ID\nARG AWS_SECRET_ACCESS_KEY\nRUN aws s3 cp s3://my-bucket/file .",
      good: "FROM alpine\nRUN --mount=type=secret,id=aws_key_id,env=AWS_ACCESS_KEY_ID \\\n    --mount=type=secret,id=aws_secret_key,env=AWS_SECRET_ACCESS_KEY \\\n    aws s3 cp s3://my-bucket/file .",
    },
    check(ctx) {
      const m = model(ctx);
      const f = new Findings(m, "SecretsUsedInArgOrEnv");
      for (const c of m.commands) {
        const kw = c.instr.keyword;
        if (kw !== "ARG" && kw !== "ENV") continue;
        for (const key of c.keys)
          if (isSecretName(key))
            f.add(
              c.instr.range.line,
              `Do not use ARG or ENV instructions for sensitive data (${kw} ${goQuote(key)})`,
              c.instr,
            );
      }
      return f.out;
    },
  },
);
