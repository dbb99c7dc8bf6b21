import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3000.
describe("DL3000", () => {
  ruleCases("DL3000", [
    {
      name: "workdir relative",
      expect: "catches",
      text: "WORKDIR relative/dir\n",
    },
    {
      name: "workdir absolute",
      expect: "not",
      text: "WORKDIR /usr/local\n",
    },
    {
      name: "workdir variable",
      expect: "not",
      text: "WORKDIR ${work}\n",
    },
    {
      name: "workdir relative single quotes",
      expect: "catches",
      text: "WORKDIR 'relative/dir'\n",
    },
    {
      name: "workdir absolute single quotes",
      expect: "not",
      text: "WORKDIR '/usr/local'\n",
    },
    {
      name: "workdir relative double quotes",
      expect: "catches",
      text: 'WORKDIR "relative/dir"\n',
    },
    {
      name: "workdir absolute double quotes",
      expect: "not",
      text: 'WORKDIR "/usr/local"\n',
    },
    {
      name: "workdir variable double quotes",
      expect: "not",
      text: 'WORKDIR "${dir}"\n',
    },
    {
      name: "workdir absolute windows",
      expect: "not",
      text: "WORKDIR 'C:\\'\n",
    },
    {
      name: "workdir absolute windows quotes",
      expect: "not",
      text: 'WORKDIR "C:\\"\n',
    },
    {
      name: "workdir absolute windows alternative",
      expect: "not",
      text: "WORKDIR C:/\n",
    },
    {
      name: "workdir absolute windows quotes alternative",
      expect: "not",
      text: 'WORKDIR "C:/"\n',
    },
  ]);
});
