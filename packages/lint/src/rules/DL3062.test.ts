import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3062.
describe("DL3062", () => {
  ruleCases("DL3062", [
    {
      name: "go version not pinned",
      expect: "catches",
      text: "RUN go install example.com/pkg\n",
    },
    {
      name: "go version not pinned",
      expect: "onbuildCatches",
      text: "RUN go install example.com/pkg\n",
    },
    {
      name: "go version pinned as latest",
      expect: "catches",
      text: "RUN go install example.com/pkg@latest\n",
    },
    {
      name: "go version pinned as latest",
      expect: "onbuildCatches",
      text: "RUN go install example.com/pkg@latest\n",
    },
    {
      name: "go version pinned",
      expect: "not",
      text: "RUN go install example.com/pkg@v1.2.3\n",
    },
    {
      name: "go version pinned",
      expect: "onbuildNot",
      text: "RUN go install example.com/pkg@v1.2.3\n",
    },
    {
      name: "go install with local absolute path",
      expect: "not",
      text: "RUN go install /go/app/foobar\n",
    },
    {
      name: "go install with local absolute path",
      expect: "onbuildNot",
      text: "RUN go install /go/app/foobar\n",
    },
    {
      name: "go install with local relative path",
      expect: "not",
      text: "RUN go install ./app/foobar\n",
    },
    {
      name: "go install with local relative path",
      expect: "onbuildNot",
      text: "RUN go install ./app/foobar\n",
    },
    {
      name: "go install local dir",
      expect: "not",
      text: "RUN go install .\n",
    },
    {
      name: "go install local dir",
      expect: "onbuildNot",
      text: "RUN go install .\n",
    },
    {
      name: "go version not pinned",
      expect: "catches",
      text: "RUN go get example.com/pkg\n",
    },
    {
      name: "go version not pinned",
      expect: "onbuildCatches",
      text: "RUN go get example.com/pkg\n",
    },
    {
      name: "go version pinned as latest",
      expect: "catches",
      text: "RUN go get example.com/pkg@latest\n",
    },
    {
      name: "go version pinned as latest",
      expect: "onbuildCatches",
      text: "RUN go get example.com/pkg@latest\n",
    },
    {
      name: "go version pinned",
      expect: "not",
      text: "RUN go get example.com/pkg@v1.2.3\n",
    },
    {
      name: "go version pinned",
      expect: "onbuildNot",
      text: "RUN go get example.com/pkg@v1.2.3\n",
    },
    {
      name: "version not pinned",
      expect: "catches",
      text: "RUN go get -tool foobar\n",
    },
    {
      name: "version not pinned",
      expect: "onbuildCatches",
      text: "RUN go get -tool foobar\n",
    },
    {
      name: "version pinned as latest",
      expect: "catches",
      text: "RUN go get -tool foobar@latest\n",
    },
    {
      name: "version pinned as latest",
      expect: "onbuildCatches",
      text: "RUN go get -tool foobar@latest\n",
    },
    {
      name: "version pinned",
      expect: "not",
      text: "RUN go get -tool foobar@v1.2.3\n",
    },
    {
      name: "version pinned",
      expect: "onbuildNot",
      text: "RUN go get -tool foobar@v1.2.3\n",
    },
    {
      name: "go version not pinned",
      expect: "catches",
      text: "RUN go run example.com/pkg\n",
    },
    {
      name: "go version not pinned",
      expect: "onbuildCatches",
      text: "RUN go run example.com/pkg\n",
    },
    {
      name: "go version pinned as latest",
      expect: "catches",
      text: "RUN go run example.com/pkg@latest\n",
    },
    {
      name: "go version pinned as latest",
      expect: "onbuildCatches",
      text: "RUN go run example.com/pkg@latest\n",
    },
    {
      name: "go version pinned",
      expect: "not",
      text: "RUN go run example.com/pkg@v1.2.3\n",
    },
    {
      name: "go version pinned",
      expect: "onbuildNot",
      text: "RUN go run example.com/pkg@v1.2.3\n",
    },
    {
      name: "go version pinned with flags",
      expect: "not",
      text: "RUN go run example.com/pkg@v1.2.3 -f\n",
    },
    {
      name: "go version pinned with flags",
      expect: "onbuildNot",
      text: "RUN go run example.com/pkg@v1.2.3 -f\n",
    },
    {
      name: "go version pinned with flags",
      expect: "not",
      text: "RUN go run example.com/pkg@v1.2.3 -foobar\n",
    },
    {
      name: "go version pinned with flags",
      expect: "onbuildNot",
      text: "RUN go run example.com/pkg@v1.2.3 -foobar\n",
    },
    {
      name: "go version pinned with flags",
      expect: "not",
      text: "RUN go run example.com/pkg@v1.2.3 --foobar\n",
    },
    {
      name: "go version pinned with flags",
      expect: "onbuildNot",
      text: "RUN go run example.com/pkg@v1.2.3 --foobar\n",
    },
    {
      name: "go version pinned with arguments",
      expect: "not",
      text: "RUN go run example.com/pkg@v1.2.3 foobar\n",
    },
    {
      name: "go version pinned with arguments",
      expect: "onbuildNot",
      text: "RUN go run example.com/pkg@v1.2.3 foobar\n",
    },
    {
      name: "go version pinned with arguments",
      expect: "not",
      text: "RUN go run example.com/pkg@v1.2.3 --foo bar\n",
    },
    {
      name: "go version pinned with arguments",
      expect: "onbuildNot",
      text: "RUN go run example.com/pkg@v1.2.3 --foo bar\n",
    },
    {
      name: "go run with local absolute path",
      expect: "not",
      text: "RUN go run /go/app/foobar\n",
    },
    {
      name: "go run with local absolute path",
      expect: "onbuildNot",
      text: "RUN go run /go/app/foobar\n",
    },
    {
      name: "go run with local relative path",
      expect: "not",
      text: "RUN go run ./app/foobar\n",
    },
    {
      name: "go run with local relative path",
      expect: "onbuildNot",
      text: "RUN go run ./app/foobar\n",
    },
    {
      name: "go run local dir",
      expect: "not",
      text: "RUN go run .\n",
    },
    {
      name: "go run local dir",
      expect: "onbuildNot",
      text: "RUN go run .\n",
    },
  ]);
});
