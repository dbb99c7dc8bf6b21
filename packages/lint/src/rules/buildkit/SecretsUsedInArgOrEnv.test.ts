import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (i: string, k: string) =>
  `Do not use ARG or ENV instructions for sensitive data (${i} "${k}")`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("SecretsUsedInArgOrEnv", () => {
  checkCases("SecretsUsedInArgOrEnv", [
    {
      name: "docs: AWS credentials in ARGs",
      text: "FROM alpine\nARG AWS_ACCESS_KEY_ID\nARG AWS_SECRET_ACCESS_KEY\nRUN aws s3 cp s3://my-bucket/file .\n",
      expect: [
        [2, msg("ARG", "AWS_ACCESS_KEY_ID")],
        [3, msg("ARG", "AWS_SECRET_ACCESS_KEY")],
      ],
    },
    {
      name: "docs: secret mounts",
      text: "FROM alpine\nRUN --mount=type=secret,id=aws_key_id,env=AWS_ACCESS_KEY_ID \\\n    --mount=type=secret,id=aws_secret_key,env=AWS_SECRET_ACCESS_KEY \\\n    aws s3 cp s3://my-bucket/file .\n",
      expect: [],
    },
    {
      name: "BuildKit's name list, allow list and check comments",
      text: `# check=skip=InvalidDefinitionDescription

FROM scratch
ARG SECRET_PASSPHRASE
ENV SUPER_Secret=foo
ENV password=bar secret=baz
ARG super_duper_secret_token=foo auth=bar
ENV apikey=bar sunflower=foo
ENV git_key=
ENV PUBLIC_KEY=
ARG public_token
ARG SECRET_PASSPHRASE_FILE
ENV password_file=bar secret_File=baz
ARG AUTH_MODULE_VERSION
# check=skip=SecretsUsedInArgOrEnv // allow secret in environment
ENV password=bar
# check=skip=SecretsUsedInArgOrEnv // allow secret in arg
ARG password
# check=skip=all // is local to only this instruction
ENV alternate_password=bar
# check=skip=all // is local to only this instruction
ARG alternate_password
`,
      expect: [
        [4, msg("ARG", "SECRET_PASSPHRASE")],
        [5, msg("ENV", "SUPER_Secret")],
        [6, msg("ENV", "password")],
        [6, msg("ENV", "secret")],
        [7, msg("ARG", "auth")],
        [7, msg("ARG", "super_duper_secret_token")],
        [8, msg("ENV", "apikey")],
        [9, msg("ENV", "git_key")],
      ],
    },
    { name: "global ARGs are not checked", text: "ARG TOKEN\nFROM alpine\n", expect: [] },
  ]);
});
