import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3059.
describe("DL3059", () => {
  ruleCases("DL3059", [
    {
      name: "ok with no `RUN` at all",
      expect: "not",
      text: "FROM debian:10\n",
    },
    {
      name: "ok with one `RUN`",
      expect: "not",
      text: "RUN /foo.sh\n",
    },
    {
      name: "ok with two not consecutive `RUN`",
      expect: "not",
      text: "RUN /foo.sh\nWORKDIR /\nRUN /bar.sh\n",
    },
    {
      name: "not ok with two consecutive `RUN`s",
      expect: "catches",
      text: "RUN /foo.sh\nRUN /bar.sh\n",
    },
    {
      name: "not ok with two `RUN`s separated by a comment",
      expect: "catches",
      text: "RUN /foo.sh\n# a comment\nRUN /bar.sh\n",
    },
    {
      name: "not ok with two `RUN`s separated by two comment",
      expect: "catches",
      text: "RUN /foo.sh\n# a comment\n# another comment\nRUN /bar.sh\n",
    },
    {
      name: "ok with one `RUN` after a comment",
      expect: "not",
      text: "# a comment\nRUN /foo.sh\n",
    },
    {
      name: "ok with two consecutive `RUN`s when flags are different 1",
      expect: "not",
      text: "RUN --mount=type=secret,id=foo /foo.sh\nRUN /bar.sh\n",
    },
    {
      name: "ok with two consecutive `RUN`s when flags are different 2",
      expect: "not",
      text: "RUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=bar /bar.sh\n\n",
    },
    {
      name: "not ok with two consecutive `RUN`s when flags are equal",
      expect: "catches",
      text: "RUN --mount=type=secret,id=foo /foo.sh\nRUN --mount=type=secret,id=foo /bar.sh\n\n",
    },
    {
      name: "ok with two consecutive `RUN`s when commands are chained 1",
      expect: "not",
      text: "RUN foo && bar\nRUN foobar\n\n",
    },
    {
      name: "ok with two consecutive `RUN`s when commands are chained 2",
      expect: "not",
      text: "RUN foo; bar\nRUN foobar\n\n",
    },
    {
      name: "ok with two consecutive `RUN`s when commands are chained 3",
      expect: "not",
      text: "RUN foobar\nRUN foo && bar\n\n",
    },
    {
      name: "ok with two consecutive `RUN`s when commands are chained 4",
      expect: "not",
      text: "RUN foobar\nRUN foo; bar\n\n",
    },
    {
      name: "ok with two consecutive `RUN`s when commands are chained 5",
      expect: "not",
      text: "RUN foo && bar\nRUN foo; bar\n\n",
    },
    {
      name: "not ok when more than one `RUN` has just one command in a row",
      expect: "catches",
      text: "RUN foo && bar\nRUN foo\nRUN bar\n\n",
    },
  ]);
});
