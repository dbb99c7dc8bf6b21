import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3067.
describe("DL3067", () => {
  ruleCases("DL3067", [
    {
      name: "warns when copying the root filesystem from another stage to root",
      expect: "catches",
      text: "COPY --from=build / /\n",
    },
    {
      name: "warns when copying quoted root paths from another stage to root",
      expect: "catches",
      text: 'COPY --from=build "/" "/"\n',
    },
    {
      name: "does not warn when copying root without --from",
      expect: "not",
      text: "COPY / /\n",
    },
    {
      name: "does not warn when copying a directory from another stage",
      expect: "not",
      text: "COPY --from=build /app /\n",
    },
    {
      name: "does not warn when copying root from another stage into a subdirectory",
      expect: "not",
      text: "COPY --from=build / /app\n",
    },
  ]);
});
