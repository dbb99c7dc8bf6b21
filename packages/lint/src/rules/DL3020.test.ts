import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3020.
describe("DL3020", () => {
  ruleCases("DL3020", [
    {
      name: "add for tar",
      expect: "not",
      text: "ADD file.tar /usr/src/app/\n",
    },
    {
      name: "add for gzip",
      expect: "not",
      text: "ADD file.gz /usr/src/app/\n",
    },
    {
      name: "add for bz2",
      expect: "not",
      text: "ADD file.bz2 /usr/src/app/\n",
    },
    {
      name: "add for xz",
      expect: "not",
      text: "ADD file.xz /usr/src/app/\n",
    },
    {
      name: "add for tgz",
      expect: "not",
      text: "ADD file.tgz /usr/src/app/\n",
    },
    {
      name: "add for url",
      expect: "not",
      text: "ADD http://file.com /usr/src/app/\n",
    },
    {
      name: "using add",
      expect: "catches",
      text: "ADD file /usr/src/app/\n",
    },
    {
      name: "warn for zip",
      expect: "catches",
      text: "ADD file.zip /usr/src/app/\n",
    },
    {
      name: "add for tgz with quotes",
      expect: "not",
      text: 'ADD "file.tgz" /usr/src/app/\n',
    },
    {
      name: "add for url with quotes",
      expect: "not",
      text: 'ADD "http://file.com" /usr/src/app/\n',
    },
    {
      name: "warn for zip with quotes",
      expect: "catches",
      text: 'ADD "file.zip" /usr/src/app/\n',
    },
  ]);
});
