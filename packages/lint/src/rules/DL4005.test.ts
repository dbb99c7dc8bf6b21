import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL4005.
describe("DL4005", () => {
  ruleCases("DL4005", [
    {
      name: "RUN ln",
      expect: "catches",
      text: "RUN ln -sfv /bin/bash /bin/sh\n",
    },
    {
      name: "RUN ln",
      expect: "onbuildCatches",
      text: "RUN ln -sfv /bin/bash /bin/sh\n",
    },
    {
      name: "RUN ln with unrelated symlinks",
      expect: "not",
      text: "RUN ln -sf /bin/true /sbin/initctl\n",
    },
    {
      name: "RUN ln with unrelated symlinks",
      expect: "onbuildNot",
      text: "RUN ln -sf /bin/true /sbin/initctl\n",
    },
    {
      name: "RUN ln with multiple acceptable commands",
      expect: "not",
      text: "RUN ln -s foo bar && unrelated && something_with /bin/sh\n",
    },
    {
      name: "RUN ln with multiple acceptable commands",
      expect: "onbuildNot",
      text: "RUN ln -s foo bar && unrelated && something_with /bin/sh\n",
    },
  ]);
});
