import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3018.
describe("DL3018", () => {
  ruleCases("DL3018", [
    {
      name: "apk add version pinning single",
      expect: "catches",
      text: "RUN apk add flex\n",
    },
    {
      name: "apk add version pinning single",
      expect: "onbuildCatches",
      text: "RUN apk add flex\n",
    },
    {
      name: "apk add no version pinning single",
      expect: "not",
      text: "RUN apk add flex=2.6.4-r1\n",
    },
    {
      name: "apk add no version pinning single",
      expect: "onbuildNot",
      text: "RUN apk add flex=2.6.4-r1\n",
    },
    {
      name: "apk add tilde version pinning single",
      expect: "not",
      text: "RUN apk add --no-cache git~2.52.0\n",
    },
    {
      name: "apk add tilde version pinning single",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache git~2.52.0\n",
    },
    {
      name: "apk add ~= and =~ version pinning",
      expect: "not",
      text: "RUN apk add --no-cache git~=2.52\n",
    },
    {
      name: "apk add ~= and =~ version pinning",
      expect: "not",
      text: "RUN apk add --no-cache git=~2.52\n",
    },
    {
      name: "apk add ~= and =~ version pinning",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache git~=2.52\n",
    },
    {
      name: "apk add ~= and =~ version pinning",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache git=~2.52\n",
    },
    {
      name: "apk add version pinned chained",
      expect: "not",
      text: "RUN apk add --no-cache flex=2.6.4-r1 \\\n && pip install -r requirements.txt\n\n",
    },
    {
      name: "apk add version pinned chained",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache flex=2.6.4-r1 \\\n && pip install -r requirements.txt\n\n",
    },
    {
      name: "apk add version pinned regression",
      expect: "not",
      text: "RUN apk add --no-cache \\\nflex=2.6.4-r1 \\\nlibffi=3.2.1-r3 \\\npython2=2.7.13-r1 \\\nlibbz2=1.0.6-r5\n\n",
    },
    {
      name: "apk add version pinned regression",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache \\\nflex=2.6.4-r1 \\\nlibffi=3.2.1-r3 \\\npython2=2.7.13-r1 \\\nlibbz2=1.0.6-r5\n\n",
    },
    {
      name: "apk add version pinned with fuzzy versions",
      expect: "not",
      text: 'RUN apk add --no-cache \\\n  "flex>=2.6.1-r1" \\\n  "libffi~3.2.1" \\\n  "python3<3.6.12-r2" \\\n  "libbz2=~1.0.6-r4"\n\n',
    },
    {
      name: "apk add version pinned with fuzzy versions",
      expect: "onbuildNot",
      text: 'RUN apk add --no-cache \\\n  "flex>=2.6.1-r1" \\\n  "libffi~3.2.1" \\\n  "python3<3.6.12-r2" \\\n  "libbz2=~1.0.6-r4"\n\n',
    },
    {
      name: "apk add version pinned regression - one missed",
      expect: "catches",
      text: "RUN apk add --no-cache \\\nflex=2.6.4-r1 \\\nlibffi \\\npython2=2.7.13-r1 \\\nlibbz2=1.0.6-r5\n\n",
    },
    {
      name: "apk add version pinned regression - one missed",
      expect: "onbuildCatches",
      text: "RUN apk add --no-cache \\\nflex=2.6.4-r1 \\\nlibffi \\\npython2=2.7.13-r1 \\\nlibbz2=1.0.6-r5\n\n",
    },
    {
      name: "apk add virtual package",
      expect: "not",
      text: "RUN apk add \\\n--virtual build-dependencies \\\npython-dev=1.1.1 build-base=2.2.2 wget=3.3.3 \\\n&& pip install -r requirements.txt \\\n&& python setup.py install \\\n&& apk del build-dependencies\n\n",
    },
    {
      name: "apk add virtual package",
      expect: "onbuildNot",
      text: "RUN apk add \\\n--virtual build-dependencies \\\npython-dev=1.1.1 build-base=2.2.2 wget=3.3.3 \\\n&& pip install -r requirements.txt \\\n&& python setup.py install \\\n&& apk del build-dependencies\n\n",
    },
    {
      name: "apk add with repository without equal sign",
      expect: "not",
      text: "RUN apk add --no-cache \\\n--repository https://nl.alpinelinux.org/alpine/edge/testing \\\nflow=0.78.0-r0\n\n",
    },
    {
      name: "apk add with repository without equal sign",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache \\\n--repository https://nl.alpinelinux.org/alpine/edge/testing \\\nflow=0.78.0-r0\n\n",
    },
    {
      name: "apk add with repository with equal sign",
      expect: "not",
      text: "RUN apk add --no-cache \\\n--repository=https://nl.alpinelinux.org/alpine/edge/testing \\\nflow=0.78.0-r0\n\n",
    },
    {
      name: "apk add with repository with equal sign",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache \\\n--repository=https://nl.alpinelinux.org/alpine/edge/testing \\\nflow=0.78.0-r0\n\n",
    },
    {
      name: "apk add with repository (-X) without equal sign",
      expect: "not",
      text: "RUN apk add --no-cache \\\n-X https://nl.alpinelinux.org/alpine/edge/testing \\\nflow=0.78.0-r0\n\n",
    },
    {
      name: "apk add with repository (-X) without equal sign",
      expect: "onbuildNot",
      text: "RUN apk add --no-cache \\\n-X https://nl.alpinelinux.org/alpine/edge/testing \\\nflow=0.78.0-r0\n\n",
    },
    {
      name: "don't trigger when installing from .apk file",
      expect: "not",
      text: "RUN apk add mypackage-1.1.1.apk\n",
    },
    {
      name: "don't trigger when installing from .apk file",
      expect: "onbuildNot",
      text: "RUN apk add mypackage-1.1.1.apk\n",
    },
  ]);
});
