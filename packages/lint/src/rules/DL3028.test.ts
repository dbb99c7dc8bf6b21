import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3028.
describe("DL3028", () => {
  ruleCases("DL3028", [
    {
      name: "unpinned",
      expect: "catches",
      text: "RUN gem i bundler\n",
    },
    {
      name: "unpinned",
      expect: "onbuildCatches",
      text: "RUN gem i bundler\n",
    },
    {
      name: "pinned",
      expect: "not",
      text: "RUN gem i bundler:1\n",
    },
    {
      name: "pinned",
      expect: "onbuildNot",
      text: "RUN gem i bundler:1\n",
    },
    {
      name: "multi",
      expect: "catches",
      text: "RUN gem i bunlder:1 nokogiri\n",
    },
    {
      name: "multi",
      expect: "onbuildCatches",
      text: "RUN gem i bunlder:1 nokogiri\n",
    },
    {
      name: "multi",
      expect: "not",
      text: "RUN gem i bunlder:1 nokogirii:1\n",
    },
    {
      name: "multi",
      expect: "onbuildNot",
      text: "RUN gem i bunlder:1 nokogiri:1\n",
    },
    {
      name: "unpinned",
      expect: "catches",
      text: "RUN gem install bundler\n",
    },
    {
      name: "unpinned",
      expect: "onbuildCatches",
      text: "RUN gem install bundler\n",
    },
    {
      name: "pinned",
      expect: "not",
      text: "RUN gem install bundler:1\n",
    },
    {
      name: "pinned",
      expect: "onbuildNot",
      text: "RUN gem install bundler:1\n",
    },
    {
      name: "does not warn on -v",
      expect: "not",
      text: "RUN gem install bundler -v '2.0.1'\n",
    },
    {
      name: "does not warn on -v",
      expect: "onbuildNot",
      text: "RUN gem install bundler -v '2.0.1'\n",
    },
    {
      name: "does not warn on --version without =",
      expect: "not",
      text: "RUN gem install bundler --version '2.0.1'\n",
    },
    {
      name: "does not warn on --version without =",
      expect: "onbuildNot",
      text: "RUN gem install bundler --version '2.0.1'\n",
    },
    {
      name: "does not warn on --version with =",
      expect: "not",
      text: "RUN gem install bundler --version='2.0.1'\n",
    },
    {
      name: "does not warn on --version with =",
      expect: "onbuildNot",
      text: "RUN gem install bundler --version='2.0.1'\n",
    },
    {
      name: "does not warn when using extra flags with equal sign and double dashes",
      expect: "not",
      text: "RUN gem install bundler:2.0.1 -- --use-system-libraries=true\n",
    },
    {
      name: "does not warn when using extra flags with equal sign and double dashes",
      expect: "onbuildNot",
      text: "RUN gem install bundler:2.0.1 -- --use-system-libraries=true\n",
    },
    {
      name: "does not warn when using extra flags with double dashes",
      expect: "not",
      text: "RUN gem install bundler:2.0.1 -- --use-system-libraries true\n",
    },
    {
      name: "does not warn when using extra flags with double dashes",
      expect: "onbuildNot",
      text: "RUN gem install bundler:2.0.1 -- --use-system-libraries true\n",
    },
    {
      name: "does not warn when using extra flags",
      expect: "not",
      text: "RUN gem install bundler:2.0.1 --use-system-libraries true\n",
    },
    {
      name: "does not warn when using extra flags",
      expect: "onbuildNot",
      text: "RUN gem install bundler:2.0.1 --use-system-libraries true\n",
    },
    {
      name: "does not warn when using extra flags with equal sign",
      expect: "not",
      text: "RUN gem install bundler:2.0.1 --use-system-libraries=true\n",
    },
    {
      name: "does not warn when using extra flags with equal sign",
      expect: "onbuildNot",
      text: "RUN gem install bundler:2.0.1 --use-system-libraries=true\n",
    },
  ]);
});
