import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3034.
describe("DL3034", () => {
  ruleCases("DL3034", [
    {
      name: "not ok without non-interactive switch",
      expect: "catches",
      text: "RUN zypper install httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "not ok without non-interactive switch",
      expect: "onbuildCatches",
      text: "RUN zypper install httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "not",
      text: "RUN zypper install -n httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "not",
      text: "RUN zypper install --non-interactive httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "not",
      text: "RUN zypper install -y httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "not",
      text: "RUN zypper install --no-confirm httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "onbuildNot",
      text: "RUN zypper install -n httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "onbuildNot",
      text: "RUN zypper install --non-interactive httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "onbuildNot",
      text: "RUN zypper install -y httpd=2.4.24 && zypper clean\n",
    },
    {
      name: "ok with non-interactive switch present",
      expect: "onbuildNot",
      text: "RUN zypper install --no-confirm httpd=2.4.24 && zypper clean\n",
    },
  ]);
});
