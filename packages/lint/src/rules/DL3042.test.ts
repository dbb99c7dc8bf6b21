import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3042.
describe("DL3042", () => {
  ruleCases("DL3042", [
    {
      name: "pip2 --no-cache-dir not used",
      expect: "catches",
      text: "RUN pip2 install MySQL_python\n",
    },
    {
      name: "pip2 --no-cache-dir not used",
      expect: "onbuildCatches",
      text: "RUN pip2 install MySQL_python\n",
    },
    {
      name: "pip3 --no-cache-dir not used",
      expect: "catches",
      text: "RUN pip3 install MySQL_python\n",
    },
    {
      name: "pip3 --no-cache-dir not used",
      expect: "onbuildCatches",
      text: "RUN pip3 install MySQL_python\n",
    },
    {
      name: "pip --no-cache-dir not used",
      expect: "catches",
      text: "RUN pip install MySQL_python\n",
    },
    {
      name: "pip --no-cache-dir not used",
      expect: "onbuildCatches",
      text: "RUN pip install MySQL_python\n",
    },
    {
      name: "pip2 --no-cache-dir used",
      expect: "not",
      text: "RUN pip2 install MySQL_python --no-cache-dir\n",
    },
    {
      name: "pip2 --no-cache-dir used",
      expect: "onbuildNot",
      text: "RUN pip2 install MySQL_python --no-cache-dir\n",
    },
    {
      name: "pip3 --no-cache-dir used",
      expect: "not",
      text: "RUN pip3 install --no-cache-dir MySQL_python\n",
    },
    {
      name: "pip3 --no-cache-dir used",
      expect: "onbuildNot",
      text: "RUN pip3 install --no-cache-dir MySQL_python\n",
    },
    {
      name: "pip --no-cache-dir used",
      expect: "not",
      text: "RUN pip install MySQL_python --no-cache-dir\n",
    },
    {
      name: "pip --no-cache-dir used",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python --no-cache-dir\n",
    },
    {
      name: "don't match on pipx",
      expect: "not",
      text: "RUN pipx install software\n",
    },
    {
      name: "don't match on pipx",
      expect: "onbuildNot",
      text: "Run pipx install software\n",
    },
    {
      name: "don't match on pipenv",
      expect: "not",
      text: "RUN pipenv install library\n",
    },
    {
      name: "don't match on pipenv",
      expect: "onbuildNot",
      text: "RUN pipenv install library\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with truthy values",
      expect: "not",
      text: "ENV PIP_NO_CACHE_DIR=1\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with truthy values",
      expect: "not",
      text: "ENV PIP_NO_CACHE_DIR=on\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with truthy values",
      expect: "not",
      text: "ENV PIP_NO_CACHE_DIR=yes\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with truthy values",
      expect: "not",
      text: "ENV PIP_NO_CACHE_DIR=true\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN PIP_NO_CACHE_DIR=1 pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN PIP_NO_CACHE_DIR=on pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN PIP_NO_CACHE_DIR=yes pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN PIP_NO_CACHE_DIR=true pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN export PIP_NO_CACHE_DIR=1 && pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN export PIP_NO_CACHE_DIR=on && pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN export PIP_NO_CACHE_DIR=yes && pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with truthy values",
      expect: "not",
      text: "RUN export PIP_NO_CACHE_DIR=true && pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with falsy values",
      expect: "catches",
      text: "ENV PIP_NO_CACHE_DIR=0\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with falsy values",
      expect: "catches",
      text: "ENV PIP_NO_CACHE_DIR=off\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with falsy values",
      expect: "catches",
      text: "ENV PIP_NO_CACHE_DIR=no\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect ENV PIP_NO_CACHE_DIR with falsy values",
      expect: "catches",
      text: "ENV PIP_NO_CACHE_DIR=false\nRUN pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN PIP_NO_CACHE_DIR=0 pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN PIP_NO_CACHE_DIR=off pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN PIP_NO_CACHE_DIR=no pip install MySQL_python\n",
    },
    {
      name: "respect RUN PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN PIP_NO_CACHE_DIR=false pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN export PIP_NO_CACHE_DIR=0 && pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN export PIP_NO_CACHE_DIR=off && pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN export PIP_NO_CACHE_DIR=no && pip install MySQL_python\n",
    },
    {
      name: "respect RUN export PIP_NO_CACHE_DIR=... with falsy values",
      expect: "catches",
      text: "RUN export PIP_NO_CACHE_DIR=false && pip install MySQL_python\n",
    },
    {
      name: "don't trigger if PIP_NO_CACHE_DIR is inherited",
      expect: "not",
      text: "FROM debian:buster as base\nENV PIP_NO_CACHE_DIR=1\nFROM base\nRUN pip install six\n\n",
    },
    {
      name: "trigger if PIP_NO_CACHE_DIR is not inherited",
      expect: "catches",
      text: "FROM debian:buster as base\nENV PIP_NO_CACHE_DIR=1\nFROM debian:buster\nRUN pip install six\n\n",
    },
    {
      name: "ok with cache mount in cache dir",
      expect: "not",
      text: "RUN --mount=type=cache,target=/root/.cache/pip pip install foobar\n",
    },
    {
      name: "ok with cache mount in cache dir",
      expect: "onbuildNot",
      text: "RUN --mount=type=cache,target=/root/.cache/pip pip install foobar\n",
    },
    {
      name: "ok with tmpfs mount in cache dir",
      expect: "not",
      text: "RUN --mount=type=tmpfs,target=/root/.cache/pip pip install foobar\n",
    },
    {
      name: "ok with tmpfs mount in cache dir",
      expect: "onbuildNot",
      text: "RUN --mount=type=tmpfs,target=/root/.cache/pip pip install foobar\n",
    },
  ]);
});
