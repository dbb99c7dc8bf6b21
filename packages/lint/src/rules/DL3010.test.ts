import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3010.
describe("DL3010", () => {
  ruleCases("DL3010", [
    {
      name: "catch: copy archive then extract 1",
      expect: "catches",
      text: "COPY packaged-app.tar /usr/src/app\nRUN tar -xf /usr/src/app/packaged-app.tar\n\n",
    },
    {
      name: "catch: copy archive then extract 2",
      expect: "catches",
      text: "COPY packaged-app.tar /usr/src/app\nWORKDIR /usr/src/app\nRUN foo bar && echo something && tar -xf packaged-app.tar\n\n",
    },
    {
      name: "catch: copy archive then extract 3",
      expect: "catches",
      text: "COPY foo/bar/packaged-app.tar /foo.tar\nRUN tar -xf /foo.tar\n\n",
    },
    {
      name: "catch: copy archive then extract windows paths 1",
      expect: "catches",
      text: 'COPY build\\foo\\bar.tar.gz "C:\\Program Files\\Foo"\nRUN tar -xf "C:\\Program Files\\Foo\\bar.tar.gz"\n\n',
    },
    {
      name: "catch: copy archive then extract windows paths 2",
      expect: "catches",
      text: 'COPY build\\foo\\bar.tar.gz "C:\\Program Files\\foo.tar.gz"\nRUN tar -xf foo.tar.gz\n\n',
    },
    {
      name: "ignore: copy archive without extract",
      expect: "not",
      text: "COPY packaged-app.tar /usr/src/app\nFROM debian:11 as newstage\n\n",
    },
    {
      name: "ignore: non archive",
      expect: "not",
      text: "COPY package.json /usr/src/app\n",
    },
    {
      name: "ignore: copy from previous stage",
      expect: "not",
      text: "COPY --from=builder /usr/local/share/some.tar /opt/some.tar\n",
    },
  ]);
});
