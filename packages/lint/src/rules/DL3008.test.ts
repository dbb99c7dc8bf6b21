import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3008.
describe("DL3008", () => {
  ruleCases("DL3008", [
    {
      name: "apt-get version pinning",
      expect: "catches",
      text: "RUN apt-get update && apt-get install python\n",
    },
    {
      name: "apt-get version pinning",
      expect: "onbuildCatches",
      text: "RUN apt-get update && apt-get install python\n",
    },
    {
      name: "apt-get pinned chained",
      expect: "not",
      text: "RUN apt-get update \\\n && apt-get -yqq --no-install-recommends install nodejs=0.10 \\\n && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "apt-get pinned chained",
      expect: "onbuildNot",
      text: "RUN apt-get update \\\n && apt-get -yqq --no-install-recommends install nodejs=0.10 \\\n && rm -rf /var/lib/apt/lists/*\n\n",
    },
    {
      name: "apt-get pinned regression",
      expect: "not",
      text: "RUN apt-get update && apt-get install --no-install-recommends -y \\\npython-demjson=2.2.2* \\\nwget=1.16.1* \\\ngit=1:2.5.0* \\\nruby=1:2.1.*\n\n",
    },
    {
      name: "apt-get pinned regression",
      expect: "onbuildNot",
      text: "RUN apt-get update && apt-get install --no-install-recommends -y \\\npython-demjson=2.2.2* \\\nwget=1.16.1* \\\ngit=1:2.5.0* \\\nruby=1:2.1.*\n\n",
    },
    {
      name: "apt-get version",
      expect: "not",
      text: "RUN apt-get install -y python=1.2.2\n",
    },
    {
      name: "apt-get version",
      expect: "onbuildNot",
      text: "RUN apt-get install -y python=1.2.2\n",
    },
    {
      name: "apt-get version",
      expect: "not",
      text: "RUN apt-get install ./wkhtmltox_0.12.5-1.bionic_amd64.deb\n",
    },
    {
      name: "apt-get version",
      expect: "onbuildNot",
      text: "RUN apt-get install ./wkhtmltox_0.12.5-1.bionic_amd64.deb\n",
    },
    {
      name: "apt-get pinned",
      expect: "not",
      text: "RUN apt-get -y --no-install-recommends install nodejs=0.10\n",
    },
    {
      name: "apt-get pinned",
      expect: "onbuildNot",
      text: "RUN apt-get -y --no-install-recommends install nodejs=0.10\n",
    },
    {
      name: "apt-get tolerate target-release",
      expect: "not",
      text: 'RUN set -e &&\\\n echo "deb http://http.debian.net/debian jessie-backports main" > /etc/apt/sources.list.d/jessie-backports.list &&\\\n apt-get update &&\\\n apt-get install -y --no-install-recommends -t jessie-backports openjdk-8-jdk=8u131-b11-1~bpo8+1 &&\\\n rm -rf /var/lib/apt/lists/*\n\n',
    },
    {
      name: "apt-get tolerate target-release",
      expect: "onbuildNot",
      text: 'RUN set -e &&\\\n echo "deb http://http.debian.net/debian jessie-backports main" > /etc/apt/sources.list.d/jessie-backports.list &&\\\n apt-get update &&\\\n apt-get install -y --no-install-recommends -t jessie-backports openjdk-8-jdk=8u131-b11-1~bpo8+1 &&\\\n rm -rf /var/lib/apt/lists/*\n\n',
    },
  ]);
});
