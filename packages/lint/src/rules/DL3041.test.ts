import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3041.
describe("DL3041", () => {
  ruleCases("DL3041", [
    {
      name: "not ok without dnf version pinning",
      expect: "catches",
      text: "RUN dnf install -y tomcat && dnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning",
      expect: "catches",
      text: "RUN microdnf install -y tomcat && microdnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning",
      expect: "onbuildCatches",
      text: "RUN dnf install -y tomcat && dnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning - package name with `-`",
      expect: "catches",
      text: "RUN dnf install -y rpm-sign && dnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning - package name with `-`",
      expect: "catches",
      text: "RUN microdnf install -y rpm-sign && microdnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning - package name with `-`",
      expect: "onbuildCatches",
      text: "RUN dnf install -y rpm-sign && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning",
      expect: "not",
      text: "RUN dnf install -y tomcat-9.0.1 && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning",
      expect: "not",
      text: "RUN microdnf install -y tomcat-9.0.1 && microdnf clean all\n",
    },
    {
      name: "ok with dnf version pinning",
      expect: "onbuildNot",
      text: "RUN dnf install -y tomcat-9.0.1 && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning",
      expect: "onbuildNot",
      text: "RUN microdnf install -y tomcat-9.0.1 && microdnf clean all\n",
    },
    {
      name: "ok with version pinning if command is not `dnf` or `microdnf`",
      expect: "not",
      text: "RUN notdnf install openssl-1:1.1.1k\n",
    },
    {
      name: "ok with version pinning if command is not `dnf` or `microdnf`",
      expect: "onbuildNot",
      text: "RUN notdnf install openssl-1:1.1.1k\n",
    },
    {
      name: "ok without version pinning if command is not `dnf` or `microdnf`",
      expect: "not",
      text: "RUN notdnf install tomcat\n",
    },
    {
      name: "ok without version pinning if command is not `dnf` or `microdnf`",
      expect: "onbuildNot",
      text: "RUN notdnf install tomcat\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-`",
      expect: "not",
      text: "RUN dnf install -y rpm-sign-4.16.1.3 && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-`",
      expect: "not",
      text: "RUN microdnf install -y rpm-sign-4.16.1.3 && microdnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-`",
      expect: "onbuildNot",
      text: "RUN dnf install -y rpm-sign-4.16.1.3 && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-`",
      expect: "onbuildNot",
      text: "RUN microdnf install -y rpm-sign-4.16.1.3 && microdnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-` and `+`",
      expect: "not",
      text: "RUN dnf install -y gcc-c++-1.1.1\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-` and `+`",
      expect: "not",
      text: "RUN microdnf install -y gcc-c++-1.1.1\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-` and `+`",
      expect: "onbuildNot",
      text: "RUN dnf install -y gcc-c++-1.1.1\n",
    },
    {
      name: "ok with dnf version pinning - package name with `-` and `+`",
      expect: "onbuildNot",
      text: "RUN microdnf install -y gcc-c++-1.1.1\n",
    },
    {
      name: "ok with dnf version pinning - package version with epoch",
      expect: "not",
      text: "RUN dnf install -y openssl-1:1.1.1k\n",
    },
    {
      name: "ok with dnf version pinning - package version with epoch",
      expect: "not",
      text: "RUN microdnf install -y openssl-1:1.1.1k\n",
    },
    {
      name: "ok with dnf version pinning - package version with epoch",
      expect: "onbuildNot",
      text: "RUN dnf install -y openssl-1:1.1.1k\n",
    },
    {
      name: "ok with dnf version pinning - package version with epoch",
      expect: "onbuildNot",
      text: "RUN microdnf install -y openssl-1:1.1.1k\n",
    },
    {
      name: "not ok without dnf version pinning - modules",
      expect: "catches",
      text: "RUN dnf module install -y tomcat && dnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning - modules",
      expect: "catches",
      text: "RUN microdnf module install -y tomcat && microdnf clean all\n",
    },
    {
      name: "not ok without dnf version pinning - modules",
      expect: "onbuildCatches",
      text: "RUN dnf module install -y tomcat && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - modules",
      expect: "not",
      text: "RUN dnf module install -y tomcat:9 && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - modules",
      expect: "not",
      text: "RUN microdnf module install -y tomcat:9 && microdnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - modules",
      expect: "not",
      text: "RUN notdnf module install tomcat\n",
    },
    {
      name: "ok with dnf version pinning - modules",
      expect: "onbuildNot",
      text: "RUN dnf module install -y tomcat:9 && dnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - modules",
      expect: "onbuildNot",
      text: "RUN microdnf module install -y tomcat:9 && microdnf clean all\n",
    },
    {
      name: "ok with dnf version pinning - modules",
      expect: "onbuildNot",
      text: "RUN notdnf module install tomcat\n",
    },
    {
      name: "ok with dnf group install",
      expect: "not",
      text: 'RUN dnf -y group install "Development Tools"\n',
    },
    {
      name: "ok with dnf group install",
      expect: "not",
      text: 'RUN dnf -y --setopt=group_package_types="mandatory" group install "Development Tools"\n',
    },
    {
      name: "ok with dnf group install",
      expect: "not",
      text: 'RUN dnf group install -y "Development Tools" && dnf clean all\n',
    },
    {
      name: "ok with dnf group install",
      expect: "not",
      text: 'RUN microdnf group install -y "Development Tools" && microdnf clean all\n',
    },
    {
      name: "ok with dnf group install",
      expect: "onbuildNot",
      text: 'RUN dnf -y group install "Development Tools"\n',
    },
    {
      name: "ok with version as variable - braced",
      expect: "not",
      text: "ENV version=2.51.0-2.fc42\nRUN dnf -y install git-core-${version}\n\n",
    },
    {
      name: "ok with version as arg - unbraced",
      expect: "not",
      text: "ARG version=2.51.0-2.fc42\nRUN dnf -y install git-core-$version\n\n",
    },
    {
      name: "ok with version as arg - different stages",
      expect: "not",
      text: "FROM fedora:fc42 AS build\nARG version=2.51.0-2.fc42\nFROM fedora:fc42\nRUN dnf -y install git-core-${version}\n\n",
    },
    {
      name: "ok with version as env - different stages, reused stage",
      expect: "not",
      text: "FROM fedora:fc42 AS build\nENV version=2.51.0-2.fc42\nFROM build\nRUN dnf -y install git-core-${version}\n\n",
    },
    {
      name: "not ok with version as variable - different stages, new stage",
      expect: "catches",
      text: "FROM fedora:fc42 AS build\nENV version=2.51.0-2.fc42\nFROM fedora:fc42\nRUN dnf -y install git-core-${version}\n\n",
    },
  ]);
});
