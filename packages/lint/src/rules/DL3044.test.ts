import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3044.
describe("DL3044", () => {
  ruleCases("DL3044", [
    {
      name: "ok with normal ENV",
      expect: "not",
      text: 'ENV BLA="blubb"\nENV BLUBB="${BLA}/blubb"\n',
    },
    {
      name: "ok with partial match 1",
      expect: "not",
      text: 'ENV BLA="blubb" BLUBB="${FOOBLA}/blubb"\n',
    },
    {
      name: "ok with partial match 2",
      expect: "not",
      text: 'ENV BLA="blubb" BLUBB="${BLAFOO}/blubb"\n',
    },
    {
      name: "ok with partial match 3",
      expect: "not",
      text: 'ENV BLA="blubb" BLUBB="$FOOBLA/blubb"\n',
    },
    {
      name: "ok with partial match 4",
      expect: "not",
      text: 'ENV BLA="blubb" BLUBB="$BLAFOO/blubb"\n',
    },
    {
      name: "fail with partial match 5",
      expect: "catches",
      text: 'ENV BLA="blubb" BLUBB="$BLA/$BLAFOO/blubb"\n',
    },
    {
      name: "ok with parial match 6",
      expect: "not",
      text: 'ENV BLA="blubb" BLUBB="BLA/$BLAFOO/BLA"\n',
    },
    {
      name: "ok when previously defined in `ARG`",
      expect: "not",
      text: "ARG BLA\nENV BLA=${BLA}\n",
    },
    {
      name: "ok when previously defined in `ENV`",
      expect: "not",
      text: "ENV BLA blubb\nENV BLA=${BLA}\n",
    },
    {
      name: "ok with referencing a variable on its own right hand side",
      expect: "not",
      text: "ENV PATH=/bla:${PATH}\n",
    },
    {
      name: "ok with referencing a variable on its own right side twice in different `ENV`s",
      expect: "not",
      text: "ENV PATH=/bla:${PATH}\nENV PATH=/blubb:${PATH}\n",
    },
    {
      name: "fail when referencing a variable on its own right side twice within the same `ENV`",
      expect: "catches",
      text: "ENV PATH=/bla:${PATH} PATH=/blubb:${PATH}\n",
    },
    {
      name: "fail with selfreferencing with curly braces ENV",
      expect: "catches",
      text: 'ENV BLA="blubb" BLUBB="${BLA}/blubb"\n',
    },
    {
      name: "fail with selfreferencing without curly braces ENV",
      expect: "catches",
      text: 'ENV BLA="blubb" BLUBB="$BLA/blubb"\n',
    },
    {
      name: "fail with full match 1",
      expect: "catches",
      text: 'ENV BLA="blubb" BLUBB="$BLA"\n',
    },
    {
      name: "fail with full match 2",
      expect: "catches",
      text: 'ENV BLA="blubb" BLUBB="${BLA}"\n',
    },
  ]);
});
