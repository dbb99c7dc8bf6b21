import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3036.
describe("DL3036", () => {
  ruleCases("DL3036", [
    {
      name: "not ok without zypper clean",
      expect: "catches",
      text: "RUN zypper install -y mariadb=10.4\n",
    },
    {
      name: "not ok without zypper clean",
      expect: "onbuildCatches",
      text: "RUN zypper install -y mariadb=10.4\n",
    },
    {
      name: "ok with zypper clean",
      expect: "not",
      text: "RUN zypper install -y mariadb=10.4 && zypper clean\n",
    },
    {
      name: "ok with zypper clean",
      expect: "not",
      text: "RUN zypper install -y mariadb=10.4 && zypper cc\n",
    },
    {
      name: "ok with zypper clean",
      expect: "onbuildNot",
      text: "RUN zypper install -y mariadb=10.4 && zypper clean\n",
    },
    {
      name: "ok with zypper clean",
      expect: "onbuildNot",
      text: "RUN zypper install -y mariadb=10.4 && zypper cc\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN zypper clean && zypper install -y mariadb=10.4\n",
    },
    {
      name: "ok when mount type cache is used",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb\n",
    },
    {
      name: "ok when mount type cache is used",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/cache/zypp zypper install -y mariadb\n",
    },
    {
      name: "ok when mount type tmpfs is used",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y mariadb\n",
    },
    {
      name: "ok when mount type tmpfs is used",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/var/cache/zypp zypper install -y mariadb\n",
    },
  ]);
});
