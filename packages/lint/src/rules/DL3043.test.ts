import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3043.
describe("DL3043", () => {
  ruleCases("DL3043", [
    {
      name: "error when using `ONBUILD` within `ONBUILD`",
      expect: "catches",
      text: "ONBUILD ONBUILD RUN anything\n\n",
    },
    {
      name: "error when using `FROM` within `ONBUILD`",
      expect: "catches",
      text: "ONBUILD FROM debian:buster\n\n",
    },
    {
      name: "error when using `MAINTAINER` within `ONBUILD`",
      expect: "catches",
      text: 'ONBUILD MAINTAINER "BoJack Horseman"\n\n',
    },
    {
      name: "ok with `ADD`",
      expect: "not",
      text: "ONBUILD ADD anything anywhere\n",
    },
    {
      name: "ok with `USER`",
      expect: "not",
      text: "ONBUILD USER anything\n",
    },
    {
      name: "ok with `LABEL`",
      expect: "not",
      text: 'ONBUILD LABEL bla="blubb"\n',
    },
    {
      name: "ok with `STOPSIGNAL`",
      expect: "not",
      text: "ONBUILD STOPSIGNAL anything\n",
    },
    {
      name: "ok with `COPY`",
      expect: "not",
      text: "ONBUILD COPY anything anywhere\n",
    },
    {
      name: "ok with `RUN`",
      expect: "not",
      text: "ONBUILD RUN anything\n",
    },
    {
      name: "ok with `CMD`",
      expect: "not",
      text: "ONBUILD CMD anything\n",
    },
    {
      name: "ok with `SHELL`",
      expect: "not",
      text: "ONBUILD SHELL anything\n",
    },
    {
      name: "ok with `WORKDIR`",
      expect: "not",
      text: "ONBUILD WORKDIR anything\n",
    },
    {
      name: "ok with `EXPOSE`",
      expect: "not",
      text: "ONBUILD EXPOSE 69\n",
    },
    {
      name: "ok with `VOLUME`",
      expect: "not",
      text: "ONBUILD VOLUME anything\n",
    },
    {
      name: "ok with `ENTRYPOINT`",
      expect: "not",
      text: "ONBUILD ENTRYPOINT anything\n",
    },
    {
      name: "ok with `ENV`",
      expect: "not",
      text: 'ONBUILD ENV MYVAR="bla"\n',
    },
    {
      name: "ok with `ARG`",
      expect: "not",
      text: "ONBUILD ARG anything\n",
    },
    {
      name: "ok with `HEALTHCHECK`",
      expect: "not",
      text: "ONBUILD HEALTHCHECK NONE\n",
    },
    {
      name: "ok with `FROM` outside of `ONBUILD`",
      expect: "not",
      text: "FROM debian:buster\n",
    },
    {
      name: "ok with `MAINTAINER` outside of `ONBUILD`",
      expect: "not",
      text: 'MAINTAINER "Some Guy"\n',
    },
  ]);
});
