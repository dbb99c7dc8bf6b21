import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3032.
describe("DL3032", () => {
  ruleCases("DL3032", [
    {
      name: "not ok with no clean all",
      expect: "catches",
      text: "RUN yum install -y mariadb-10.4\n",
    },
    {
      name: "not ok with no clean all",
      expect: "onbuildCatches",
      text: "RUN yum install -y mariadb-10.4\n",
    },
    {
      name: "ok with yum clean all ",
      expect: "not",
      text: "RUN yum install -y mariadb-10.4 && yum clean all\n",
    },
    {
      name: "ok with yum clean all ",
      expect: "not",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok with yum clean all ",
      expect: "onbuildNot",
      text: "RUN yum install -y mariadb-10.4 && yum clean all\n",
    },
    {
      name: "ok with yum clean all ",
      expect: "onbuildNot",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok with rm -rf /var/cache/yum/*",
      expect: "not",
      text: "RUN yum install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "ok with rm -rf /var/cache/yum/*",
      expect: "onbuildNot",
      text: "RUN yum install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "not ok with clean before install",
      expect: "not",
      text: "RUN yum install -y mariadb-10.4 && yum clean all\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN yum clean all && yum install -y\n",
    },
  ]);
});
