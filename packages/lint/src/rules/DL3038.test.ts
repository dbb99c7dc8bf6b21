import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3038.
describe("DL3038", () => {
  ruleCases("DL3038", [
    {
      name: "not ok without dnf non-interactive flag",
      expect: "catches",
      text: "RUN dnf install httpd-2.4.24 && dnf clean all\n",
    },
    {
      name: "not ok without dnf non-interactive flag",
      expect: "catches",
      text: "RUN microdnf install httpd-2.4.24 && microdnf clean all\n",
    },
    {
      name: "not ok without dnf non-interactive flag",
      expect: "onbuildCatches",
      text: "RUN dnf install httpd-2.4.24 && dnf clean all\n",
    },
    {
      name: "not ok without dnf non-interactive flag",
      expect: "onbuildCatches",
      text: "RUN microdnf install httpd-2.4.24 && microdnf clean all\n",
    },
    {
      name: "ok with dnf non-interactive flag",
      expect: "not",
      text: "RUN dnf install -y httpd-2.4.24 && dnf clean all\n",
    },
    {
      name: "ok with dnf non-interactive flag",
      expect: "not",
      text: "RUN microdnf install -y httpd-2.4.24 && microdnf clean all\n",
    },
    {
      name: "ok with dnf non-interactive flag",
      expect: "not",
      text: "RUN notdnf install httpd\n",
    },
    {
      name: "ok with dnf non-interactive flag",
      expect: "onbuildNot",
      text: "RUN dnf install -y httpd-2.4.24 && dnf clean all\n",
    },
    {
      name: "ok with dnf non-interactive flag",
      expect: "onbuildNot",
      text: "RUN microdnf install -y httpd-2.4.24 && microdnf clean all\n",
    },
    {
      name: "ok with dnf non-interactive flag",
      expect: "onbuildNot",
      text: "RUN notdnf install httpd\n",
    },
  ]);
});
