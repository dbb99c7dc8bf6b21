import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3045.
describe("DL3045", () => {
  ruleCases("DL3045", [
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set",
      expect: "not",
      text: "COPY bla.sh /usr/local/bin/blubb.sh\n",
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set",
      expect: "onbuildNot",
      text: "COPY bla.sh /usr/local/bin/blubb.sh\n",
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set with quotes",
      expect: "not",
      text: 'COPY bla.sh "/usr/local/bin/blubb.s"\n',
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set with quotes",
      expect: "onbuildNot",
      text: 'COPY bla.sh "/usr/local/bin/blubb.sh"\n',
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set - windows",
      expect: "not",
      text: "COPY bla.sh c:\\system32\\blubb.sh\n",
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set - windows",
      expect: "onbuildNot",
      text: "COPY bla.sh d:\\mypath\\blubb.sh\n",
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set - windows with quotes",
      expect: "not",
      text: 'COPY bla.sh "c:\\system32\\blubb.sh"\n',
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set - windows with quotes",
      expect: "onbuildNot",
      text: 'COPY bla.sh "d:\\mypath\\blubb.sh"\n',
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set - windows with alternative paths",
      expect: "not",
      text: "COPY bla.sh c:/system32/blubb.sh\n",
    },
    {
      name: "ok: `COPY` with absolute destination and no `WORKDIR` set - windows with alternative paths",
      expect: "onbuildNot",
      text: "COPY bla.sh d:/mypath/blubb.sh\n",
    },
    {
      name: "ok: `COPY` with relative destination and `WORKDIR` set",
      expect: "not",
      text: "FROM scratch\nWORKDIR /usr\nCOPY bla.sh blubb.sh\n",
    },
    {
      name: "ok: `COPY` with relative destination and `WORKDIR` set - windows",
      expect: "not",
      text: "FROM scratch\nWORKDIR c:\\system32\nCOPY bla.sh blubb.sh\n",
    },
    {
      name: "ok: `COPY` with relative destination and `WORKDIR` set - windows",
      expect: "onbuildNot",
      text: "FROM scratch\nWORKDIR c:\\system32\nCOPY bla.sh blubb.sh\n",
    },
    {
      name: "ok: `COPY` with destination being an environment variable 1",
      expect: "not",
      text: "COPY src.sh ${SRC_BASE_ENV}\n",
    },
    {
      name: "ok: `COPY` with destination being an environment variable 1",
      expect: "onbuildNot",
      text: "COPY src.sh ${SRC_BASE_ENV}\n",
    },
    {
      name: "ok: `COPY` with destination being an environment variable 2",
      expect: "not",
      text: "COPY src.sh $SRC_BASE_ENV\n",
    },
    {
      name: "ok: `COPY` with destination being an environment variable 2",
      expect: "onbuildNot",
      text: "COPY src.sh $SRC_BASE_ENV\n",
    },
    {
      name: "ok: `COPY` with destination being an environment variable 3",
      expect: "not",
      text: 'COPY src.sh "${SRC_BASE_ENV}"\n',
    },
    {
      name: "ok: `COPY` with destination being an environment variable 3",
      expect: "onbuildNot",
      text: 'COPY src.sh "${SRC_BASE_ENV}"\n',
    },
    {
      name: "ok: `COPY` with destination being an environment variable 4",
      expect: "not",
      text: 'COPY src.sh "$SRC_BASE_ENV"\n',
    },
    {
      name: "ok: `COPY` with destination being an environment variable 4",
      expect: "onbuildNot",
      text: 'COPY src.sh "$SRC_BASE_ENV"\n',
    },
    {
      name: "not ok: `COPY` with relative destination and no `WORKDIR` set",
      expect: "catches",
      text: "COPY bla.sh blubb.sh\n",
    },
    {
      name: "not ok: `COPY` with relative destination and no `WORKDIR` set",
      expect: "onbuildCatches",
      text: "COPY bla.sh blubb.sh\n",
    },
    {
      name: "not ok: `COPY` with relative destination and no `WORKDIR` set with quotes",
      expect: "catches",
      text: 'COPY bla.sh "blubb.sh"\n',
    },
    {
      name: "not ok: `COPY` with relative destination and no `WORKDIR` set with quotes",
      expect: "onbuildCatches",
      text: 'COPY bla.sh "blubb.sh"\n',
    },
    {
      name: "not ok: `COPY` to relative destination if `WORKDIR` is set in a previous stage but not inherited",
      expect: "catches",
      text: "FROM debian:buster as stage1\nWORKDIR /usr\nFROM debian:buster\nCOPY foo bar\n\n",
    },
    {
      name: "not ok: `COPY` to relative destination if `WORKDIR` is set in a previous stage but not inherited",
      expect: "onbuildCatches",
      text: "FROM debian:buster as stage1\nWORKDIR /usr\nFROM debian:buster\nCOPY foo bar\n\n",
    },
    {
      name: "not ok: `COPY` to relative destination if `WORKDIR` is set in a previous stage but not inherited - windows",
      expect: "catches",
      text: "FROM microsoft/windowsservercore as stage1\nWORKDIR c:\\system32\nFROM microsoft/windowsservercore\nCOPY foo bar\n\n",
    },
    {
      name: "not ok: `COPY` to relative destination if `WORKDIR` is set in a previous stage but not inherited - windows",
      expect: "onbuildCatches",
      text: "FROM microsoft/windowsservercore as stage1\nWORKDIR c:\\system32\nFROM microsoft/windowsservercore\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in base image",
      expect: "not",
      text: "FROM debian:buster as base\nWORKDIR /usr\nFROM debian:buster as stage-inbetween\nRUN foo\nFROM base\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in base image",
      expect: "onbuildNot",
      text: "FROM debian:buster as base\nWORKDIR /usr\nFROM debian:buster as stage-inbetween\nRUN foo\nFROM base\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in base image - windows",
      expect: "not",
      text: "FROM microsoft/windowsservercore as base\nWORKDIR c:\\system32\nFROM microsoft/windowsservercore as stage-inbetween\nRUN foo\nFROM base\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in base image - windows",
      expect: "onbuildNot",
      text: "FROM microsoft/windowsservercore as base\nWORKDIR c:\\system32\nFROM microsoft/windowsservercore as stage-inbetween\nRUN foo\nFROM base\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in previous stage, deep case",
      expect: "not",
      text: "FROM debian:buster as base1\nWORKDIR /usr\nFROM base1 as base2\nRUN foo\nFROM base2\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in previous stage, deep case",
      expect: "onbuildNot",
      text: "FROM debian:buster as base1\nWORKDIR /usr\nFROM base1 as base2\nRUN foo\nFROM base2\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in previous stage, deep case - windows",
      expect: "not",
      text: "FROM microsoft/windowsservercore as base1\nWORKDIR c:\\system32\nFROM base1 as base2\nRUN foo\nFROM base2\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set in previous stage, deep case - windows",
      expect: "onbuildNot",
      text: "FROM microsoft/windowsservercore as base1\nWORKDIR c:\\system32\nFROM base1 as base2\nRUN foo\nFROM base2\nCOPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set, both within an `ONBUILD` context",
      expect: "not",
      text: "FROM debian:buster\nONBUILD WORKDIR /usr/local/lib\nONBUILD COPY foo bar\n\n",
    },
    {
      name: "ok: `COPY` to relative destination if `WORKDIR` has been set, both within an `ONBUILD` context",
      expect: "onbuildNot",
      text: "FROM debian:buster\nONBUILD WORKDIR /usr/local/lib\nONBUILD COPY foo bar\n\n",
    },
    {
      name: "regression: don't crash with single character paths",
      expect: "catches",
      text: "COPY a b\n",
    },
    {
      name: "regression: don't crash with single character paths",
      expect: "onbuildCatches",
      text: "COPY a b\n",
    },
  ]);
});
