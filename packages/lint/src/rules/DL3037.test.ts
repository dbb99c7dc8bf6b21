import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3037.
describe("DL3037", () => {
  ruleCases("DL3037", [
    {
      name: "not ok without zypper version pinning",
      expect: "catches",
      text: "RUN zypper install -y tomcat && zypper clean\n",
    },
    {
      name: "not ok without zypper version pinning",
      expect: "onbuildCatches",
      text: "RUN zypper install -y tomcat && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "not",
      text: "RUN zypper install -y tomcat=9.0.39 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "not",
      text: "RUN zypper install -y tomcat\\>=9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "not",
      text: "RUN zypper install -y tomcat\\>9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "not",
      text: "RUN zypper install -y tomcat\\<=9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "not",
      text: "RUN zypper install -y tomcat\\<9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "not",
      text: "RUN zypper install -y tomcat-9.0.39-1.rpm && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "onbuildNot",
      text: "RUN zypper install -y tomcat=9.0.39 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "onbuildNot",
      text: "RUN zypper install -y tomcat\\>=9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "onbuildNot",
      text: "RUN zypper install -y tomcat\\>9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "onbuildNot",
      text: "RUN zypper install -y tomcat\\<=9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "onbuildNot",
      text: "RUN zypper install -y tomcat\\<9.0 && zypper clean\n",
    },
    {
      name: "ok with different variants of zypper version pinning",
      expect: "onbuildNot",
      text: "RUN zypper install -y tomcat-9.0.39-1.rpm && zypper clean\n",
    },
  ]);
});
