import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3011.
describe("DL3011", () => {
  ruleCases("DL3011", [
    {
      name: "invalid port",
      expect: "catches",
      text: "EXPOSE 80000\n",
    },
    {
      name: "valid port",
      expect: "not",
      text: "EXPOSE 60000\n",
    },
    {
      name: "valid port variable",
      expect: "not",
      text: "EXPOSE ${FOOBAR}\n",
    },
    {
      name: "invalid port in range",
      expect: "catches",
      text: "EXPOSE 40000-80000/tcp\n",
    },
    {
      name: "valid port range",
      expect: "not",
      text: "EXPOSE 40000-60000/tcp\n",
    },
    {
      name: "valid port range variable",
      expect: "not",
      text: "EXPOSE 40000-${FOOBAR}\n",
    },
  ]);
});
