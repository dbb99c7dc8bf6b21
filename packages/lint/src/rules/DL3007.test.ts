import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3007.
describe("DL3007", () => {
  ruleCases("DL3007", [
    {
      name: "explicit latest",
      expect: "catches",
      text: "FROM debian:latest\n",
    },
    {
      name: "explicit latest with name",
      expect: "catches",
      text: "FROM debian:latest AS builder\n",
    },
    {
      name: "explicit tagged",
      expect: "not",
      text: "FROM debian:jessie\n",
    },
    {
      name: "explicit SHA",
      expect: "not",
      text: "FROM hub.docker.io/debian@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n",
    },
    {
      name: "explicit tagged and SHA",
      expect: "not",
      text: "FROM hub.docker.io/debian:latest@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\n",
    },
    {
      name: "explicit tagged with name",
      expect: "not",
      text: "FROM debian:jessie AS builder\n",
    },
  ]);
});
