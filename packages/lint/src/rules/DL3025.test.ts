import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3025.
describe("DL3025", () => {
  ruleCases("DL3025", [
    {
      name: "warn on ENTRYPOINT",
      expect: "catches",
      text: "FROM node as foo\nENTRYPOINT something\n\n",
    },
    {
      name: "don't warn on ENTRYPOINT json notation",
      expect: "not",
      text: 'FROM scratch as build\nENTRYPOINT ["foo", "bar"]\n\n',
    },
    {
      name: "warn on CMD",
      expect: "catches",
      text: "FROM node as foo\nCMD something\n\n",
    },
    {
      name: "don't warn on CMD json notation",
      expect: "not",
      text: 'FROM scratch as build\nCMD ["foo", "bar"]\nCMD [ "foo", "bar" ]\n\n',
    },
    {
      name: "warn on HEALTHCHECK CMD shell notation",
      expect: "catches",
      text: "HEALTHCHECK CMD foobar\n\n",
    },
    {
      name: "don't warn on HEALTHCHECK CMD json notation",
      expect: "not",
      text: 'HEALTHCHECK CMD [ "foobar" ]\n\n',
    },
    {
      name: "don't warn on CMD JSON notation with broken long strings",
      expect: "not",
      text: 'CMD [ "/bin/sh", "-c", \\\n      "echo foo && \\\n       echo bar" \\\n    ]\n\n',
    },
  ]);
});
