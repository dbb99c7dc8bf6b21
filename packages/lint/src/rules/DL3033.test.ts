import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3033.
describe("DL3033", () => {
  ruleCases("DL3033", [
    {
      name: "not ok without yum version pinning",
      expect: "catches",
      text: "RUN yum install -y tomcat && yum clean all\n",
    },
    {
      name: "not ok without yum version pinning",
      expect: "onbuildCatches",
      text: "RUN yum install -y tomcat && yum clean all\n",
    },
    {
      name: "ok with yum version pinning",
      expect: "not",
      text: "RUN yum install -y tomcat-9.2 && yum clean all\n",
    },
    {
      name: "ok with yum version pinning",
      expect: "not",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok with yum version pinning",
      expect: "onbuildNot",
      text: "RUN yum install -y tomcat-9.2 && yum clean all\n",
    },
    {
      name: "ok with yum version pinning",
      expect: "onbuildNot",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok with yum version pinning - version contains epoch",
      expect: "not",
      text: "RUN yum install -y openssl-1:1.1.1k\n",
    },
    {
      name: "ok with yum version pinning - version contains epoch",
      expect: "onbuildNot",
      text: "RUN yum install -y openssl-1:1.1.1k\n",
    },
    {
      name: "ok with yum version pinning - package name contains `-`",
      expect: "not",
      text: "RUN yum install -y rpm-sign-4.16.1.3\n",
    },
    {
      name: "ok with yum version pinning - package name contains `-`",
      expect: "onbuildNot",
      text: "RUN yum install -y rpm-sign-4.16.1.3\n",
    },
    {
      name: "ok with yum version pinning - package name contains `-` and `+`",
      expect: "not",
      text: "RUN yum install -y gcc-c++-1.1.1\n",
    },
    {
      name: "ok with yum version pinning - package name contains `-` and `+`",
      expect: "onbuildNot",
      text: "RUN yum install -y gcc-c++-1.1.1\n",
    },
    {
      name: "not ok without yum version pinning - modules",
      expect: "catches",
      text: "RUN yum module install -y tomcat && yum clean all\n",
    },
    {
      name: "not ok without yum version pinning - modules",
      expect: "onbuildCatches",
      text: "RUN yum module install -y tomcat && yum clean all\n",
    },
    {
      name: "ok with yum version pinning - modules",
      expect: "not",
      text: "RUN yum module install -y tomcat:9 && yum clean all\n",
    },
    {
      name: "ok with yum version pinning - modules",
      expect: "not",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok with yum version pinning - modules",
      expect: "onbuildNot",
      text: "RUN yum module install -y tomcat:9 && yum clean all\n",
    },
    {
      name: "ok with yum version pinning - modules",
      expect: "onbuildNot",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok with version as variable - braced",
      expect: "not",
      text: "ENV version=2.51.0-2.fc42\nRUN yum -y install git-core-${version}\n\n",
    },
    {
      name: "ok with version as arg - unbraced",
      expect: "not",
      text: "ARG version=2.51.0-2.fc42\nRUN yum -y install git-core-$version\n\n",
    },
    {
      name: "ok with version as arg - different stages",
      expect: "not",
      text: "FROM fedora:fc42 AS build\nARG version=2.51.0-2.fc42\nFROM fedora:fc42\nRUN yum -y install git-core-${version}\n\n",
    },
    {
      name: "ok with version as env - different stages, reused stage",
      expect: "not",
      text: "FROM fedora:fc42 AS build\nENV version=2.51.0-2.fc42\nFROM build\nRUN yum -y install git-core-${version}\n\n",
    },
    {
      name: "not ok with version as variable - different stages, new stage",
      expect: "catches",
      text: "FROM fedora:fc42 AS build\nENV version=2.51.0-2.fc42\nFROM fedora:fc42\nRUN yum -y install git-core-${version}\n\n",
    },
  ]);
});
