import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3014.
describe("DL3014", () => {
  ruleCases("DL3014", [
    {
      name: "apt-get auto yes",
      expect: "catches",
      text: "RUN apt-get install python\n",
    },
    {
      name: "apt-get auto yes",
      expect: "onbuildCatches",
      text: "RUN apt-get install python\n",
    },
    {
      name: "apt-get -q",
      expect: "catches",
      text: "RUN apt-get install -q python\n",
    },
    {
      name: "apt-get -q",
      expect: "onbuildCatches",
      text: "RUN apt-get install -q python\n",
    },
    {
      name: "apt-get --quiet",
      expect: "catches",
      text: "RUN apt-get install --quiet python\n",
    },
    {
      name: "apt-get --quiet",
      expect: "onbuildCatches",
      text: "RUN apt-get install -q python\n",
    },
    {
      name: "apt-get yes shortflag",
      expect: "not",
      text: "RUN apt-get install -yq python\n",
    },
    {
      name: "apt-get yes shortflag",
      expect: "onbuildNot",
      text: "RUN apt-get install -yq python\n",
    },
    {
      name: "apt-get yes different pos",
      expect: "not",
      text: "RUN apt-get install -y python\n",
    },
    {
      name: "apt-get yes different pos",
      expect: "onbuildNot",
      text: "RUN apt-get install -y python\n",
    },
    {
      name: "apt-get with auto yes",
      expect: "not",
      text: "RUN apt-get -y install python\n",
    },
    {
      name: "apt-get with auto yes",
      expect: "onbuildNot",
      text: "RUN apt-get -y install python\n",
    },
    {
      name: "apt-get with auto expanded yes",
      expect: "not",
      text: "RUN apt-get --yes install python\n",
    },
    {
      name: "apt-get with auto expanded yes",
      expect: "onbuildNot",
      text: "RUN apt-get --yes install python\n",
    },
    {
      name: "apt-get with assume-yes",
      expect: "not",
      text: "RUN apt-get --assume-yes install python\n",
    },
    {
      name: "apt-get with assume-yes",
      expect: "onbuildNot",
      text: "RUN apt-get --assume-yes install python\n",
    },
    {
      name: "apt-get -qq",
      expect: "not",
      text: "RUN apt-get install -qq python\n",
    },
    {
      name: "apt-get -qq",
      expect: "onbuildNot",
      text: "RUN apt-get install -qq python\n",
    },
    {
      name: "apt-get -q -q",
      expect: "not",
      text: "RUN apt-get install -q -q python\n",
    },
    {
      name: "apt-get -q -q",
      expect: "onbuildNot",
      text: "RUN apt-get install -q -q python\n",
    },
    {
      name: "apt-get -q=2",
      expect: "not",
      text: "RUN apt-get install -q=2 python\n",
    },
    {
      name: "apt-get -q=2",
      expect: "onbuildNot",
      text: "RUN apt-get install -q=2 python\n",
    },
    {
      name: "apt-get --quiet --quiet",
      expect: "not",
      text: "RUN apt-get install --quiet --quiet python\n",
    },
    {
      name: "apt-get --quiet --quiet",
      expect: "onbuildNot",
      text: "RUN apt-get install --quiet --quiet python\n",
    },
  ]);
});
