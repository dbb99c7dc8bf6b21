import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const copy = (f: string) => `Attempting to Copy file "${f}" that is excluded by .dockerignore`;
const add = (f: string) => `Attempting to Add file "${f}" that is excluded by .dockerignore`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("CopyIgnoredFile", () => {
  checkCases("CopyIgnoredFile", [
    {
      // The docs page uses `*/tmp/*`, which BuildKit does not match against `tmp/...` (the source
      // is cleaned to `tmp/helloworld.txt`); `tmp/*` is the pattern that example needs.
      name: "docs: copying an ignored file",
      text: "FROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt\n",
      dockerignore: "tmp/*\n",
      expect: [[2, copy("tmp/helloworld.txt")]],
    },
    {
      name: "docs: the pattern as written on the docs page does not match",
      text: "FROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt\n",
      dockerignore: "*/tmp/*\n",
      expect: [],
    },
    {
      name: "docs: a file that is not excluded",
      text: "FROM scratch\nCOPY ./forever/helloworld.txt /helloworld.txt\n",
      dockerignore: "tmp/*\n",
      expect: [],
    },
    {
      name: "COPY and ADD of an ignored Dockerfile",
      text: "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
      dockerignore: "\nDockerfile\n",
      expect: [
        [3, copy("Dockerfile")],
        [4, add("Dockerfile")],
      ],
    },
    {
      name: "skipped by the check directive",
      text: "# check=skip=CopyIgnoredFile\n\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
      dockerignore: "\nDockerfile\n",
      expect: [],
    },
    {
      name: "COPY --from is not checked",
      text: "\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\nFROM base\nCOPY --from=base /foobar /Dockerfile\n",
      dockerignore: "\nfoobar\n",
      expect: [],
    },
    {
      name: "exclusions turn the check off",
      text: "\nFROM scratch\nCOPY ./Dockerfile .\n",
      dockerignore: "\n**\n!Dockerfile\n",
      expect: [],
    },
    {
      name: "context root with dotfiles ignored",
      text: "\nFROM scratch\nCOPY . .\n",
      dockerignore: "\n.*\n",
      expect: [],
    },
    {
      name: "context root with everything ignored",
      text: "\nFROM scratch\nCOPY . .\n",
      dockerignore: "\n*\n",
      expect: [[3, copy(".")]],
    },
    {
      name: "parent directory ignored",
      text: "FROM scratch\nCOPY node_modules/x/index.js /app/\n",
      dockerignore: "# deps\nnode_modules\n",
      expect: [[2, copy("node_modules/x/index.js")]],
    },
    {
      name: "** patterns",
      text: "FROM scratch\nCOPY src/a/b.log /\nCOPY src/a/b.txt /\n",
      dockerignore: "**/*.log\n",
      expect: [[2, copy("src/a/b.log")]],
    },
    {
      name: "remote ADD sources are not in the context",
      text: "FROM scratch\nADD https://example.com/Dockerfile /\n",
      dockerignore: "*\n",
      expect: [],
    },
    {
      name: "variables are expanded first",
      text: "FROM scratch\nARG F=secret.txt\nCOPY $F /\n",
      dockerignore: "secret.txt\n",
      expect: [[3, copy("secret.txt")]],
    },
    {
      name: "no .dockerignore",
      text: "FROM scratch\nCOPY Dockerfile .\n",
      dockerignore: null,
      expect: [],
    },
  ]);
});
