import { describe } from "vitest";
import { checkCases } from "./testing.ts";

// Cases from BuildKit's docs page and its frontend/dockerfile check tests.
describe("NoEmptyContinuation", () => {
  checkCases("NoEmptyContinuation", [
    {
      name: "docs: empty line in EXPOSE",
      text: "FROM alpine\nEXPOSE \\\n\n80\n",
      expect: [[4, "Empty continuation line"]],
    },
    {
      name: "docs: comment line instead",
      text: "FROM alpine\nEXPOSE \\\n# Port\n80\n",
      expect: [],
    },
    {
      name: "reported on the last line",
      text: "\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n",
      expect: [[6, "Empty continuation line"]],
    },
    {
      name: "docs: several empty lines, one finding",
      text: "FROM alpine\nRUN apk add \\\n\n    gnupg \\\n\n    curl\n",
      expect: [[6, "Empty continuation line"]],
    },
    {
      name: "whitespace-only line",
      text: "FROM alpine\nRUN a \\\n  \t\n  b\n",
      expect: [[4, "Empty continuation line"]],
    },
    { name: "continuation at the end of the file", text: "FROM alpine\nRUN a \\\n", expect: [] },
    { name: "heredoc body blank lines", text: "FROM alpine\nRUN <<EOF\na\n\nb\nEOF\n", expect: [] },
  ]);
});
