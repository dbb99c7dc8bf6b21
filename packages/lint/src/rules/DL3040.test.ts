import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3040.
describe("DL3040", () => {
  ruleCases("DL3040", [
    {
      name: "no ok without dnf clean all",
      expect: "catches",
      text: "RUN dnf install -y mariadb-10.4\n",
    },
    {
      name: "no ok without dnf clean all",
      expect: "catches",
      text: "RUN microdnf install -y mariadb-10.4\n",
    },
    {
      name: "no ok without dnf clean all",
      expect: "catches",
      text: "RUN dnf in -y mariadb-10.4\n",
    },
    {
      name: "no ok without dnf clean all",
      expect: "onbuildCatches",
      text: "RUN dnf install -y mariadb-10.4\n",
    },
    {
      name: "no ok without dnf clean all",
      expect: "onbuildCatches",
      text: "RUN dnf in -y mariadb-10.4\n",
    },
    {
      name: "no ok without dnf clean all",
      expect: "onbuildCatches",
      text: "RUN dnf install -y mariadb-10.4 && microdnf clean all\n",
    },
    {
      name: "no ok without dnf clean all",
      expect: "onbuildCatches",
      text: "RUN microdnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "not",
      text: "RUN dnf install -y mariadb-10.4 && dnf clean all\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "not",
      text: "RUN dnf in -y mariadb-10.4 && dnf clean all\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "not",
      text: "RUN microdnf install -y mariadb-10.4 && microdnf clean all\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "not",
      text: "RUN notdnf install mariadb\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "onbuildNot",
      text: "RUN dnf install -y mariadb-10.4 && dnf clean all\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "onbuildNot",
      text: "RUN microdnf install -y mariadb-10.4 && microdnf clean all\n",
    },
    {
      name: "ok with dnf clean all",
      expect: "onbuildNot",
      text: "RUN notdnf install mariadb\n",
    },
    {
      name: "ok with rm /var/cache/yum",
      expect: "not",
      text: "RUN dnf install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "ok with rm /var/cache/yum",
      expect: "not",
      text: "RUN dnf in -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "ok with rm /var/cache/yum",
      expect: "not",
      text: "RUN microdnf install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "ok with rm /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN dnf install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "ok with rm /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN dnf in -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "ok with rm /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN microdnf install -y mariadb-10.4 && rm -rf /var/cache/yum/*\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN microdnf clean all && dnf install -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN microdnf clean all && dnf in -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN rm -rf /var/cache/libdnf5 && dnf install -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN rm -rf /var/cache/libdnf5 && dnf in -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN rm -rf /var/cache/libdnf5 && microdnf install -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "onbuildCatches",
      text: "RUN rm -rf /var/cache/libdnf5 && dnf install -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "onbuildCatches",
      text: "RUN rm -rf /var/cache/libdnf5 && dnf in -y mariadb-10.4\n",
    },
    {
      name: "not ok with clean before install",
      expect: "onbuildCatches",
      text: "RUN rm -rf /var/cache/libdnf5 && microdnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with cache mount at /var/cache/yum",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with cache mount at /var/cache/yum",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/cache/libdnf5 dnf in -y mariadb-10.4\n",
    },
    {
      name: "ok with cache mount at /var/cache/yum",
      expect: "not",
      text: "RUN --mount=type=cache,target=/var/cache/libdnf5 microdnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with cache mount at /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with cache mount at /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/cache/libdnf5 dnf in -y mariadb-10.4\n",
    },
    {
      name: "ok with cache mount at /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/var/cache/libdnf5 microdnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with tmpfs mount at /var/cache/yum",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with tmpfs mount at /var/cache/yum",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf in -y mariadb-10.4\n",
    },
    {
      name: "ok with tmpfs mount at /var/cache/yum",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 microdnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with tmpfs mount at /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf install -y mariadb-10.4\n",
    },
    {
      name: "ok with tmpfs mount at /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 dnf in -y mariadb-10.4\n",
    },
    {
      name: "ok with tmpfs mount at /var/cache/yum",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/var/cache/libdnf5 microdnf install -y mariadb-10.4\n",
    },
    {
      name: "not ok with `dnf upgrade`",
      expect: "catches",
      text: "RUN dnf -y upgrade\n",
    },
    {
      name: "not ok with `dnf upgrade`",
      expect: "catches",
      text: "RUN dnf -y up\n",
    },
    {
      name: "not ok with `dnf upgrade`",
      expect: "onbuildCatches",
      text: "RUN dnf -y upgrade\n",
    },
    {
      name: "not ok with `dnf upgrade`",
      expect: "onbuildCatches",
      text: "RUN dnf -y up\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y install\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y in\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y upgrade\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y up\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y upgrade-minimal\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y up-min\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y reinstall\n",
    },
    {
      name: "different install command variants",
      expect: "catches",
      text: "RUN dnf -y rei\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y install && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y in && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y upgrade && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y up && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y upgrade-minimal && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y up-min && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y reinstall && dnf clean all\n",
    },
    {
      name: "different install command variants",
      expect: "not",
      text: "RUN dnf -y rei && dnf clean all\n",
    },
  ]);
});
