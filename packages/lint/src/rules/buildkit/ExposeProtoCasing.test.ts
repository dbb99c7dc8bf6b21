import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (p: string) => `Defined protocol '${p}' in EXPOSE instruction should be lowercase`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("ExposeProtoCasing", () => {
  checkCases("ExposeProtoCasing", [
    {
      name: "docs: mixed case",
      text: "FROM alpine\nEXPOSE 80/TcP\n",
      expect: [[2, msg("80/TcP")]],
    },
    { name: "docs: lower case", text: "FROM alpine\nEXPOSE 80/tcp\n", expect: [] },
    {
      name: "several ports",
      text: "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n",
      expect: [
        [3, msg("80/TcP")],
        [3, msg("8080/TCP")],
      ],
    },
    {
      name: "unknown protocol is a build error, not this check",
      text: "FROM a\nEXPOSE 80/HTTP\n",
      expect: [],
    },
  ]);
});
