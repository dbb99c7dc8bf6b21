import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3015.
describe("DL3015", () => {
  ruleCases("DL3015", [
    {
      name: "apt-get install recommends",
      expect: "not",
      text: "RUN apt-get install --no-install-recommends python\n",
    },
    {
      name: "apt-get install recommends",
      expect: "onbuildNot",
      text: "RUN apt-get install --no-install-recommends python\n",
    },
    {
      name: "apt-get no install recommends",
      expect: "catches",
      text: "RUN apt-get install python\n",
    },
    {
      name: "apt-get no install recommends",
      expect: "onbuildCatches",
      text: "RUN apt-get install python\n",
    },
    {
      name: "apt-get no install recommends",
      expect: "catches",
      text: "RUN apt-get -y install python\n",
    },
    {
      name: "apt-get no install recommends",
      expect: "onbuildCatches",
      text: "RUN apt-get -y install python\n",
    },
    {
      name: "apt-get no install recommends via option",
      expect: "not",
      text: "RUN apt-get -o APT::Install-Recommends=false install python\n",
    },
    {
      name: "apt-get no install recommends via option",
      expect: "onbuildNot",
      text: "RUN apt-get -o APT::Install-Recommends=false install python\n",
    },
  ]);
});
