import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (p: string) =>
  `EXPOSE instruction should not define an IP address or host-port mapping, found '${p}'`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("ExposeInvalidFormat", () => {
  checkCases("ExposeInvalidFormat", [
    {
      name: "docs: IP and host port",
      text: "FROM alpine\nEXPOSE 127.0.0.1:80:80\n",
      expect: [[2, msg("127.0.0.1:80:80")]],
    },
    { name: "docs: host port", text: "FROM alpine\nEXPOSE 80:80\n", expect: [[2, msg("80:80")]] },
    { name: "docs: port only", text: "FROM alpine\nEXPOSE 80\n", expect: [] },
    {
      name: "several specs, IPv6",
      text: "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
      expect: [
        [3, msg("127.0.0.1:80:80")],
        [3, msg("[::1]:8080:8080")],
        [3, msg("5000:5000")],
      ],
    },
    {
      name: "after variable expansion",
      text: "FROM scratch\nARG P=8080:80\nEXPOSE $P\n",
      expect: [[3, msg("8080:80")]],
    },
  ]);
});
