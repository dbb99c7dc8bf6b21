import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3060.
describe("DL3060", () => {
  ruleCases("DL3060", [
    {
      name: "ok with non-yarn commands",
      expect: "not",
      text: "RUN foo\n",
    },
    {
      name: "ok with non-yarn commands",
      expect: "onbuildNot",
      text: "RUN foo\n",
    },
    {
      name: "not ok with no cache clean",
      expect: "catches",
      text: "RUN yarn install foo\n",
    },
    {
      name: "not ok with no cache clean",
      expect: "onbuildCatches",
      text: "RUN yarn install foo\n",
    },
    {
      name: "ok with cache clean",
      expect: "not",
      text: "RUN yarn install bar && yarn cache clean\n",
    },
    {
      name: "ok with cache clean",
      expect: "onbuildNot",
      text: "RUN yarn install bar && yarn cache clean\n",
    },
    {
      name: "not ok with clean before install",
      expect: "catches",
      text: "RUN yarn cache clean && yarn install foo\n",
    },
    {
      name: "ok when cache mount is used",
      expect: "not",
      text: "RUN --mount=type=cache,target=/root/.cache/yarn yarn install foobar\n",
    },
    {
      name: "ok when cache mount is used",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/root/.cache/yarn yarn install foobar\n",
    },
    {
      name: "ok when tmpfs mount is used",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/root/.cache/yarn yarn install foobar\n",
    },
    {
      name: "ok when tmpfs mount is used",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/root/.cache/yarn yarn install foobar\n",
    },
    {
      name: "not ok when cache mount is in wrong location",
      expect: "catches",
      text: "RUN --mount=type=cache,target=/var/lib/foobar yarn install foobar\n",
    },
    {
      name: "not ok when cache mount is in wrong location",
      expect: "onbuildCatches",
      text: "RUN --mount=type=cache,target=/var/lib/foobar yarn install foobar\n",
    },
    {
      name: "not ok when tmpfs mount is in wrong location",
      expect: "catches",
      text: "RUN --mount=type=tmpfs,target=/var/lib/foobar yarn install foobar\n",
    },
    {
      name: "not ok when tmpfs mount is in wrong location",
      expect: "onbuildCatches",
      text: "RUN --mount=type=tmpfs,target=/var/lib/foobar yarn install foobar\n",
    },
    {
      name: "not ok when yarn install is in last stage w/o yarn clean",
      expect: "catches",
      text: "FROM node:lts-alpine as foo\nRUN hey!\nFROM scratch\nRUN yarn install\n\n",
    },
    {
      name: "not ok when yarn install is in last stage w/o yarn clean",
      expect: "onbuildCatches",
      text: "FROM node:lts-alpine as foo\nRUN hey!\nFROM scratch\nRUN yarn install\n\n",
    },
    {
      name: "not ok when inheriting from stage with yarn install w/o yarn clean",
      expect: "catches",
      text: "FROM node:lts-alpine as foo\nRUN yarn install\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "not ok when inheriting from stage with yarn install w/o yarn clean",
      expect: "onbuildCatches",
      text: "FROM node:lts-alpine as foo\nRUN yarn install\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "ok when inheriting from stage with yarn cache clear",
      expect: "not",
      text: "FROM node:lts-alpine as foo\nRUN yarn install && yarn cache clean\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "ok when inheriting from stage with yarn cache clear",
      expect: "onbuildNot",
      text: "FROM node:lts-alpine as foo\nRUN yarn install && yarn cache clean\nFROM foo\nRUN hey!\n\n",
    },
    {
      name: "ok when omitting yarn cache clean in stage that is not reused later",
      expect: "not",
      text: "FROM node:lts-alpine as foo\nRUN yarn install foo\nFROM scratch\nRUN hey!\n\n",
    },
    {
      name: "ok when omitting yarn cache clean in stage that is not reused later",
      expect: "onbuildCatches",
      text: "FROM node:lts-alpine as foo\nRUN yarn install foo\nFROM scratch\nRUN hey!\n\n",
    },
  ]);
});
