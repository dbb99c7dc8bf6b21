import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3064.
describe("DL3064", () => {
  ruleCases("DL3064", [
    {
      name: "ok: no ARG, no ENV",
      expect: "not",
      text: "FROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "ok: no ARG, no ENV",
      expect: "onbuildNot",
      text: "FROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "ok: ARG no sensitive data, no ENV",
      expect: "not",
      text: "ARG foobar\nFROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "ok: ARG no sensitive data, no ENV",
      expect: "onbuildNot",
      text: "ARG foobar\nFROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "ok: no ARG, ENV no sensitive data",
      expect: "not",
      text: "FROM debian:bullseye\nENV foobar=barfoo\nRUN foobar\n\n",
    },
    {
      name: "ok: no ARG, ENV no sensitive data",
      expect: "onbuildNot",
      text: "FROM debian:bullseye\nENV foobar=barfoo\nRUN foobar\n\n",
    },
    {
      name: "not ok: ARG with sensitive data",
      expect: "catches",
      text: "ARG AWS_ACCESS_KEY_ID\nFROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "not ok: ARG with sensitive data",
      expect: "onbuildCatches",
      text: "ARG AWS_ACCESS_KEY_ID\nFROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "not ok: ARG with sensitive data, different casing",
      expect: "catches",
      text: "ARG openai_api_key\nFROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "not ok: ARG with sensitive data, different casing",
      expect: "onbuildCatches",
      text: "ARG openai_api_key\nFROM debian:bullseye\nRUN foobar\n\n",
    },
    {
      name: "not ok: ENV with sensitive data",
      expect: "catches",
      text: "FROM debian:bullseye\nENV AWS_ACCESS_KEY_ID=abcdefghijklmnopqrstuvwxyz\nRUN foobar\n\n",
    },
    {
      name: "not ok: ENV with sensitive data",
      expect: "onbuildCatches",
      text: "FROM debian:bullseye\nENV AWS_ACCESS_KEY_ID=abcdefghijklmnopqrstuvwxyz\nRUN foobar\n\n",
    },
    {
      name: "not ok: ENV with sensitive data, different casing",
      expect: "catches",
      text: "FROM debian:bullseye\nENV my_password=abcdefghijklmnopqrstuvwxyz\nRUN foobar\n\n",
    },
    {
      name: "not ok: ENV with sensitive data, different casing",
      expect: "onbuildCatches",
      text: "FROM debian:bullseye\nENV my_password=abcdefghijklmnopqrstuvwxyz\nRUN foobar\n\n",
    },
  ]);
});
