import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3019.
describe("DL3019", () => {
  ruleCases("DL3019", [
    {
      name: "warn: apk add without --no-cache",
      expect: "catches",
      text: "RUN apk add flex=2.6.4-r1\n",
    },
    {
      name: "warn: apk add without --no-cache",
      expect: "onbuildCatches",
      text: "RUN apk add flex=2.6.4-r1\n",
    },
    {
      name: "don't warn: apk add with --no-cache",
      expect: "not",
      text: "RUN apk add --no-cache flex=2.6.4-r1\n",
    },
    {
      name: "don't warn: apk add with --no-cache",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache flex=2.6.4-r1\n",
    },
    {
      name: "don't warn: apk add with BuildKit cache mount",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=7.77.0\n",
    },
    {
      name: "don't warn: apk add with BuildKit cache mount",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=7.77.0\n",
    },
    {
      name: "don't warn: apk add with BuildKit tmpfs mount",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/var/cache/apk apk add -U curl=7.77.0\n",
    },
    {
      name: "don't warn: apk add with BuildKit tmpfs mount",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/var/cache/apk apk add -U curl=7.77.0\n",
    },
    {
      name: "don't warn: apk add with BuildKit cache mount in wrong dir and --no-cache",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/cache/foo apk add --no-cache -U curl=7.77.0\n",
    },
    {
      name: "don't warn: apk add with BuildKit cache mount in wrong dir and --no-cache",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/cache/foo apk add --no-cache -U curl=7.77.0\n",
    },
    {
      name: "warn: apk add with BuildKit cache mount to wrong dir",
      expect: "catches",
      text: "RUN --mount=type=cache,target=/var/cache/foo apk add -U curl=7.77.0\n",
    },
    {
      name: "warn: apk add with BuildKit cache mount to wrong dir",
      expect: "onbuildCatches",
      text: "RUN --mount=type=cache,target=/var/cache/foo apk add -U curl=7.77.0\n",
    },
    {
      name: "warn: apk add with BuildKit tmpfs mount to wrong dir",
      expect: "catches",
      text: "RUN --mount=type=tmpfs,target=/var/cache/foo apk add -U curl=7.77.0\n",
    },
    {
      name: "warn: apk add with BuildKit tmpfs mount to wrong dir",
      expect: "onbuildCatches",
      text: "RUN --mount=type=tmpfs,target=/var/cache/foo apk add -U curl=7.77.0\n",
    },
  ]);
});
