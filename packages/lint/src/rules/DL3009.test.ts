import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3009.
describe("DL3009", () => {
  ruleCases("DL3009", [
    {
      name: "apt-get no cleanup",
      expect: "catches",
      text: "FROM scratch\nRUN apt-get update && apt-get install python\n\n",
    },
    {
      name: "apt-get no cleanup",
      expect: "onbuildCatches",
      text: "FROM scratch\nRUN apt-get update && apt-get install python\n\n",
    },
    {
      name: "apt-get cleanup in stage image",
      expect: "not",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python\nFROM scratch\nRUN echo hey!\n\n",
    },
    {
      name: "apt-get cleanup in stage image",
      expect: "onbuildCatches",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python\nFROM scratch\nRUN echo hey!\n\n",
    },
    {
      name: "apt-get no cleanup in last stage",
      expect: "catches",
      text: "FROM ubuntu as foo\nRUN hey!\nFROM scratch\nRUN apt-get update && apt-get install python\n\n",
    },
    {
      name: "apt-get no cleanup in last stage",
      expect: "onbuildCatches",
      text: "FROM ubuntu as foo\nRUN hey!\nFROM scratch\nRUN apt-get update && apt-get install python\n\n",
    },
    {
      name: "apt-get no cleanup in intermediate stage",
      expect: "catches",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "apt-get no cleanup in intermediate stage",
      expect: "onbuildCatches",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "no warn apt-get cleanup in intermediate stage that cleans lists",
      expect: "not",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python && rm -rf /var/lib/apt/lists/*\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "no warn apt-get cleanup in intermediate stage that cleans lists",
      expect: "onbuildNot",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python && rm -rf /var/lib/apt/lists/*\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "no warn apt-get cleanup in intermediate stage when stage not used later",
      expect: "not",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python\nFROM scratch\nRUN hey!\n\n",
    },
    {
      name: "no warn apt-get cleanup in intermediate stage when stage not used later",
      expect: "onbuildCatches",
      text: "FROM ubuntu as foo\nRUN apt-get update && apt-get install python\nFROM scratch\nRUN hey!\n\n",
    },
    {
      name: "apt-get cleanup",
      expect: "not",
      text: "FROM scratch\nRUN apt-get update && apt-get install python && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "apt-get cleanup",
      expect: "onbuildNot",
      text: "FROM scratch\nRUN apt-get update && apt-get install python && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "don't warn: BuildKit cache mount to apt lists directory",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/lib/apt/lists \\    apt-get update && apt-get install python\n",
    },
    {
      name: "don't warn: BuildKit cache mount to apt lists directory",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/lib/apt/lists \\    apt-get update && apt-get install python\n",
    },
    {
      name: "don't warn: BuildKit cache mount to apt directories 1",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/lib/apt \\    --mount=type=cache,target=/var/cache/apt \\    rm -f /etc/apt/apt.conf.d/docker-clean && \\    apt-get update && apt-get install python\n",
    },
    {
      name: "don't warn: BuildKit cache mount to apt directories 1",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/lib/apt \\    --mount=type=cache,target=/var/cache/apt \\    rm -f /etc/apt/apt.conf.d/docker-clean && \\    apt-get update && apt-get install python\n",
    },
    {
      name: "don't warn: BuildKit cache mount to apt directories 2",
      expect: "not",
      text: "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install foo\n\n",
    },
    {
      name: "don't warn: BuildKit cache mount to apt directories 2",
      expect: "onbuildNot",
      text: "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt \\\n    --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install foo\n\n",
    },
    {
      name: "warn: BuildKit cache mount to apt cache directory only",
      expect: "catches",
      text: "RUN --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install python\n\n",
    },
    {
      name: "warn: BuildKit cache mount to apt cache directory only",
      expect: "onbuildCatches",
      text: "RUN --mount=type=cache,target=/var/cache/apt \\\n    rm -f /etc/apt/apt.conf.d/docker-clean && \\\n    apt-get update && apt-get install python\n\n",
    },
    {
      name: "warn: BuildKit cache mount to apt lists directory only",
      expect: "catches",
      text: "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install python\n\n",
    },
    {
      name: "warn: BuildKit cache mount to apt lists directory only",
      expect: "onbuildCatches",
      text: "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt \\\n    apt-get update && apt-get install python\n\n",
    },
    {
      name: "don't warn: tmpfs mount to apt cache and lists directory",
      expect: "not",
      text: "RUN \\\n  --mount=type=tmpfs,target=/var/cache/apt \\\n  --mount=type=tmpfs,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: tmpfs mount to apt cache and lists directory",
      expect: "onbuildNot",
      text: "RUN \\\n  --mount=type=tmpfs,target=/var/cache/apt \\\n  --mount=type=tmpfs,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: tmpfs mount to apt cache and cache mount to lists directory",
      expect: "not",
      text: "RUN \\\n  --mount=type=tmpfs,target=/var/cache/apt \\\n  --mount=type=cache,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: tmpfs mount to apt cache and cache mount to lists directory",
      expect: "onbuildNot",
      text: "RUN \\\n  --mount=type=tmpfs,target=/var/cache/apt \\\n  --mount=type=cache,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: cache mount to apt cache and tmpfs mount to lists directory",
      expect: "not",
      text: "RUN \\\n  --mount=type=cache,target=/var/cache/apt \\\n  --mount=type=tmpfs,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: cache mount to apt cache and tmpfs mount to lists directory",
      expect: "onbuildNot",
      text: "RUN \\\n  --mount=type=cache,target=/var/cache/apt \\\n  --mount=type=tmpfs,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: cache mount to apt cache and lists directory",
      expect: "not",
      text: "RUN \\\n  --mount=type=cache,target=/var/cache/apt \\\n  --mount=type=cache,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "don't warn: cache mount to apt cache and lists directory",
      expect: "onbuildNot",
      text: "RUN \\\n  --mount=type=cache,target=/var/cache/apt \\\n  --mount=type=cache,target=/var/lib/apt \\\n  apt-get update\n\n",
    },
    {
      name: "apt no cleanup",
      expect: "catches",
      text: "FROM scratch\nRUN apt update && apt install python\n\n",
    },
    {
      name: "apt no cleanup",
      expect: "onbuildCatches",
      text: "FROM scratch\nRUN apt update && apt install python\n\n",
    },
    {
      name: "apt cleanup",
      expect: "not",
      text: "FROM scratch\nRUN apt update && apt install python && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "apt cleanup",
      expect: "onbuildNot",
      text: "FROM scratch\nRUN apt update && apt install python && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "aptitude no cleanup",
      expect: "catches",
      text: "FROM scratch\nRUN aptitude update && aptitude install python\n\n",
    },
    {
      name: "aptitude no cleanup",
      expect: "onbuildCatches",
      text: "FROM scratch\nRUN aptitude update && aptitude install python\n\n",
    },
    {
      name: "aptitude cleanup",
      expect: "not",
      text: "FROM scratch\nRUN aptitude update && aptitude install python && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "aptitude cleanup",
      expect: "onbuildNot",
      text: "FROM scratch\nRUN aptitude update && aptitude install python && rm -rf /var/lib/apt/lists/*\n\n",
    },
  ]);
});
