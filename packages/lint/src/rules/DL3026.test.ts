import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3026.
describe("DL3026", () => {
  ruleCases("DL3026", [
    {
      name: "does not warn on empty allowed registries",
      expect: "not",
      text: "FROM random.com/debian\n\n",
    },
    {
      name: "warn on non-allowed registry",
      expect: "catches",
      text: "FROM random.com/debian\n\n",
      options: {
        trustedRegistries: ["docker.io"],
      },
    },
    {
      name: "does not warn on allowed registries",
      expect: "not",
      text: "FROM random.com/debian\n\n",
      options: {
        trustedRegistries: ["x.com", "random.com"],
      },
    },
    {
      name: "doesn't warn on scratch image",
      expect: "not",
      text: "FROM scratch\n\n",
      options: {
        trustedRegistries: ["x.com", "random.com"],
      },
    },
    {
      name: "allows all forms of docker.io",
      expect: "not",
      text: "FROM ubuntu:18.04 AS builder1\nFROM zemanlx/ubuntu:18.04 AS builder2\nFROM docker.io/zemanlx/ubuntu:18.04 AS builder3\n\n",
      options: {
        trustedRegistries: ["docker.io"],
      },
    },
    {
      name: "allows using previous stages",
      expect: "not",
      text: "FROM random.com/foo AS builder1\nFROM builder1 AS builder2\n\n",
      options: {
        trustedRegistries: ["random.com"],
      },
    },
    {
      name: "warn on non-allowed wildcard registry",
      expect: "catches",
      text: "FROM x.com/debian\n\n",
      options: {
        trustedRegistries: ["*.random.com"],
      },
    },
    {
      name: "does not warn on allowed wildcard registries",
      expect: "not",
      text: "FROM foo.random.com/debian\n\n",
      options: {
        trustedRegistries: ["x.com", "*.random.com"],
      },
    },
    {
      name: "does not warn on * registry",
      expect: "not",
      text: "FROM ubuntu:18.04 AS builder1\nFROM zemanlx/ubuntu:18.04 AS builder2\nFROM docker.io/zemanlx/ubuntu:18.04 AS builder3\n\n",
      options: {
        trustedRegistries: ["*"],
      },
    },
    {
      name: "does warn on copy from untrusted registry",
      expect: "catches",
      text: "COPY --from=untrusted.com/repo/image:tag /foo /bar\n\n",
      options: {
        trustedRegistries: ["trusted.com"],
      },
    },
    {
      name: "does not warn on copy from untrusted registry",
      expect: "not",
      text: "COPY --from=trusted.com/repo/image:tag /foo /bar\n\n",
      options: {
        trustedRegistries: ["trusted.com"],
      },
    },
    {
      name: "warn on run with bind mount from untrusted registry",
      expect: "catches",
      text: "RUN --mount=type=bind,from=untrusted.com/repo/image:tag,target=/foo foobar\n\n",
      options: {
        trustedRegistries: ["trusted.com"],
      },
    },
    {
      name: "warn on run with cache mount from untrusted registry",
      expect: "catches",
      text: "RUN --mount=type=cache,from=untrusted.com/repo/image:tag,target=/foo foobar\n\n",
      options: {
        trustedRegistries: ["trusted.com"],
      },
    },
    {
      name: "don't warn on run with bind mount from trusted registry",
      expect: "not",
      text: "RUN --mount=type=bind,from=trusted.com/repo/image:tag,target=/foo foobar\n\n",
      options: {
        trustedRegistries: ["trusted.com"],
      },
    },
    {
      name: "don't warn on run with cache mount from trusted registry",
      expect: "not",
      text: "RUN --mount=type=cache,from=trusted.com/repo/image:tag,target=/foo foobar\n\n",
      options: {
        trustedRegistries: ["trusted.com"],
      },
    },
  ]);
});
