import { describe } from "vitest";
import { checkCases } from "./testing.ts";

const msg = (i: string) =>
  `Multiple ${i} instructions should not be used in the same stage because only the last one will be used`;

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("MultipleInstructionsDisallowed", () => {
  checkCases("MultipleInstructionsDisallowed", [
    {
      name: "docs: two ENTRYPOINTs",
      text: 'FROM alpine\nENTRYPOINT ["echo", "Hello, Norway!"]\nENTRYPOINT ["echo", "Hello, Sweden!"]\n# Only "Hello, Sweden!" will be printed\n',
      expect: [[2, msg("ENTRYPOINT")]],
    },
    {
      name: "docs: one ENTRYPOINT",
      text: 'FROM alpine\nENTRYPOINT ["echo", "Hello, Norway!\\nHello, Sweden!"]\n',
      expect: [],
    },
    {
      name: "docs: HEALTHCHECK CMD is not a CMD",
      text: 'FROM python:alpine\nRUN apk add curl\nHEALTHCHECK --interval=1s --timeout=3s \\\n  CMD ["curl", "-f", "http://localhost:8080"]\nCMD ["python", "-m", "http.server", "8080"]\n',
      expect: [],
    },
    {
      name: "each kind twice",
      text: '\nFROM scratch\nENTRYPOINT ["/myapp"]\nENTRYPOINT ["/myotherapp"]\nCMD ["/myapp"]\nCMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
      expect: [
        [3, msg("ENTRYPOINT")],
        [5, msg("CMD")],
        [7, msg("HEALTHCHECK")],
      ],
    },
    {
      name: "separated by other instructions",
      text: '\nFROM scratch\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\nCOPY <<EOF /a.txt\nHello, World!\nEOF\nENTRYPOINT ["/myotherapp"]\nCMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
      expect: [
        [3, msg("ENTRYPOINT")],
        [4, msg("CMD")],
        [5, msg("HEALTHCHECK")],
      ],
    },
    {
      name: "a stage may override its base stage",
      text: '\nFROM scratch AS a\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\n\nFROM a AS b\nENTRYPOINT ["/myotherapp"]\nCMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
      expect: [],
    },
  ]);
});
