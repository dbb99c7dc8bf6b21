import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3048.
describe("DL3048", () => {
  ruleCases("DL3048", [
    {
      name: "not ok with reserved namespace",
      expect: "catches",
      text: 'LABEL com.docker.label="foo"\n',
    },
    {
      name: "not ok with reserved namespace",
      expect: "catches",
      text: 'LABEL io.docker.label="foo"\n',
    },
    {
      name: "not ok with reserved namespace",
      expect: "catches",
      text: 'LABEL org.dockerproject.label="foo"\n',
    },
    {
      name: "not ok with reserved namespace",
      expect: "onbuildCatches",
      text: 'LABEL com.docker.label="foo"\n',
    },
    {
      name: "not ok with reserved namespace",
      expect: "onbuildCatches",
      text: 'LABEL io.docker.label="foo"\n',
    },
    {
      name: "not ok with reserved namespace",
      expect: "onbuildCatches",
      text: 'LABEL org.dockerproject.label="foo"\n',
    },
    {
      name: "not ok with invalid character",
      expect: "catches",
      text: 'LABEL invalid$character="foo"\n',
    },
    {
      name: "not ok with invalid character",
      expect: "onbuildCatches",
      text: 'LABEL invalid$character="foo"\n',
    },
    {
      name: "not ok with invalid start and end characters",
      expect: "catches",
      text: 'LABEL .invalid ="foo"\n',
    },
    {
      name: "not ok with invalid start and end characters",
      expect: "catches",
      text: 'LABEL -invalid ="foo"\n',
    },
    {
      name: "not ok with invalid start and end characters",
      expect: "catches",
      text: 'LABEL 1invalid ="foo"\n',
    },
    {
      name: "not ok with invalid start and end characters",
      expect: "onbuildCatches",
      text: 'LABEL .invalid="foo"\n',
    },
    {
      name: "not ok with invalid start and end characters",
      expect: "onbuildCatches",
      text: 'LABEL -invalid="foo"\n',
    },
    {
      name: "not ok with invalid start and end characters",
      expect: "onbuildCatches",
      text: 'LABEL 1invalid="foo"\n',
    },
    {
      name: "not ok with consecutive dividers",
      expect: "catches",
      text: 'LABEL invalid..character="foo"\n',
    },
    {
      name: "not ok with consecutive dividers",
      expect: "catches",
      text: 'LABEL invalid--character="foo"\n',
    },
    {
      name: "not ok with consecutive dividers",
      expect: "onbuildCatches",
      text: 'LABEL invalid..character="foo"\n',
    },
    {
      name: "not ok with consecutive dividers",
      expect: "onbuildCatches",
      text: 'LABEL invalid--character="foo"\n',
    },
    {
      name: "ok with valid labels",
      expect: "not",
      text: 'LABEL org.valid-key.label3="foo"\n',
    },
    {
      name: "ok with valid labels",
      expect: "not",
      text: 'LABEL validlabel="foo"\n',
    },
    {
      name: "ok with valid labels",
      expect: "onbuildNot",
      text: 'LABEL org.valid-key.label3="foo"\n',
    },
    {
      name: "ok with valid labels",
      expect: "onbuildNot",
      text: 'LABEL validlabel="foo"\n',
    },
  ]);
});
