import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3030.
describe("DL3030", () => {
  ruleCases("DL3030", [
    {
      name: "not ok when not using `-y` switch",
      expect: "catches",
      text: "RUN yum install httpd-2.4.24 && yum clean all\n",
    },
    {
      name: "not ok when not using `-y` switch",
      expect: "onbuildCatches",
      text: "RUN yum install httpd-2.4.24 && yum clean all\n",
    },
    {
      name: "ok when using `-y` switch",
      expect: "not",
      text: "RUN yum install -y httpd-2.4.24 && yum clean all\n",
    },
    {
      name: "ok when using `-y` switch",
      expect: "not",
      text: "RUN bash -c `# not even a yum command`\n",
    },
    {
      name: "ok when using `-y` switch",
      expect: "onbuildNot",
      text: "RUN yum install -y httpd-2.4.24 && yum clean all\n",
    },
    {
      name: "ok when using `-y` switch",
      expect: "onbuildNot",
      text: "RUN bash -c `# not even a yum command`\n",
    },
  ]);
});
