import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3016.
describe("DL3016", () => {
  ruleCases("DL3016", [
    {
      name: "version pinned in package.json",
      expect: "not",
      text: "RUN npm install\n",
    },
    {
      name: "version pinned in package.json",
      expect: "onbuildNot",
      text: "RUN npm install\n",
    },
    {
      name: "version pinned in package.json with arguments",
      expect: "not",
      text: "RUN npm install --progress=false\n",
    },
    {
      name: "version pinned in package.json with arguments",
      expect: "onbuildNot",
      text: "RUN npm install --progress=false\n",
    },
    {
      name: "version pinned",
      expect: "not",
      text: "RUN npm install express@4.1.1\n",
    },
    {
      name: "version pinned",
      expect: "onbuildNot",
      text: "RUN npm install express@4.1.1\n",
    },
    {
      name: "version pinned with scope",
      expect: "not",
      text: 'RUN npm install @myorg/privatepackage@">=0.1.0"\n',
    },
    {
      name: "version pinned with scope",
      expect: "onbuildNot",
      text: 'RUN npm install @myorg/privatepackage@">=0.1.0"\n',
    },
    {
      name: "version pinned multiple packages",
      expect: "not",
      text: 'RUN npm install express@"4.1.1" sax@0.1.1\n',
    },
    {
      name: "version pinned multiple packages",
      expect: "onbuildNot",
      text: 'RUN npm install express@"4.1.1" sax@0.1.1\n',
    },
    {
      name: "version pinned with --global",
      expect: "not",
      text: 'RUN npm install --global express@"4.1.1"\n',
    },
    {
      name: "version pinned with --global",
      expect: "onbuildNot",
      text: 'RUN npm install --global express@"4.1.1"\n',
    },
    {
      name: "version pinned with -g",
      expect: "not",
      text: 'RUN npm install -g express@"4.1.1"\n',
    },
    {
      name: "version pinned with -g",
      expect: "onbuildNot",
      text: 'RUN npm install -g express@"4.1.1"\n',
    },
    {
      name: "version does not have to be pinned for tarball suffix .tar",
      expect: "not",
      text: "RUN npm install package-v1.2.3.tar\n",
    },
    {
      name: "version does not have to be pinned for tarball suffix .tar",
      expect: "onbuildNot",
      text: "RUN npm install package-v1.2.3.tar\n",
    },
    {
      name: "version does not have to be pinned for tarball suffix .tar.gz",
      expect: "not",
      text: "RUN npm install package-v1.2.3.tar.gz\n",
    },
    {
      name: "version does not have to be pinned for tarball suffix .tar.gz",
      expect: "onbuildNot",
      text: "RUN npm install package-v1.2.3.tar.gz\n",
    },
    {
      name: "version does not have to be pinned for tarball suffix .tgz",
      expect: "not",
      text: "RUN npm install package-v1.2.3.tgz\n",
    },
    {
      name: "version does not have to be pinned for tarball suffix .tgz",
      expect: "onbuildNot",
      text: "RUN npm install package-v1.2.3.tgz\n",
    },
    {
      name: "version does not have to be pinned for folder - absolute path",
      expect: "not",
      text: "RUN npm install /folder\n",
    },
    {
      name: "version does not have to be pinned for folder - absolute path",
      expect: "onbuildNot",
      text: "RUN npm install /folder\n",
    },
    {
      name: "version does not have to be pinned for folder - relative path from current folder",
      expect: "not",
      text: "RUN npm install ./folder\n",
    },
    {
      name: "version does not have to be pinned for folder - relative path from current folder",
      expect: "onbuildNot",
      text: "RUN npm install ./folder\n",
    },
    {
      name: "version does not have to be pinned for folder - relative path to parent folder",
      expect: "not",
      text: "RUN npm install ../folder\n",
    },
    {
      name: "version does not have to be pinned for folder - relative path to parent folder",
      expect: "onbuildNot",
      text: "RUN npm install ../folder\n",
    },
    {
      name: "version does not have to be pinned for folder - relative path from home",
      expect: "not",
      text: "RUN npm install ~/folder\n",
    },
    {
      name: "version does not have to be pinned for folder - relative path from home",
      expect: "onbuildNot",
      text: "RUN npm install ~/folder\n",
    },
    {
      name: "commit pinned for git+ssh",
      expect: "not",
      text: "RUN npm install git+ssh://git@github.com:npm/npm.git#v1.0.27\n",
    },
    {
      name: "commit pinned for git+ssh",
      expect: "onbuildNot",
      text: "RUN npm install git+ssh://git@github.com:npm/npm.git#v1.0.27\n",
    },
    {
      name: "commit pinned for git+http",
      expect: "not",
      text: "RUN npm install git+http://isaacs@github.com/npm/npm#semver:^5.0\n",
    },
    {
      name: "commit pinned for git+http",
      expect: "onbuildNot",
      text: "RUN npm install git+http://isaacs@github.com/npm/npm#semver:^5.0\n",
    },
    {
      name: "commit pinned for git+https",
      expect: "not",
      text: "RUN npm install git+https://isaacs@github.com/npm/npm.git#v1.0.27\n",
    },
    {
      name: "commit pinned for git+https",
      expect: "onbuildNot",
      text: "RUN npm install git+https://isaacs@github.com/npm/npm.git#v1.0.27\n",
    },
    {
      name: "commit pinned for git",
      expect: "not",
      text: "RUN npm install git://github.com/npm/npm.git#v1.0.27\n",
    },
    {
      name: "commit pinned for git",
      expect: "onbuildNot",
      text: "RUN npm install git://github.com/npm/npm.git#v1.0.27\n",
    },
    {
      name: "npm run install is fine",
      expect: "not",
      text: "RUN npm run --crazy install\n",
    },
    {
      name: "npm run install is fine",
      expect: "onbuildNot",
      text: "RUN npm run --crazy install\n",
    },
    {
      name: "version pinned with scope",
      expect: "not",
      text: 'RUN npm install @myorg/privatepackage@">=0.1.0 <0.2.0"\n',
    },
    {
      name: "version pinned with scope",
      expect: "onbuildNot",
      text: 'RUN npm install @myorg/privatepackage@">=0.1.0 <0.2.0"\n',
    },
    {
      name: "version not pinned",
      expect: "catches",
      text: "RUN npm install express\n",
    },
    {
      name: "version not pinned",
      expect: "onbuildCatches",
      text: "RUN npm install express\n",
    },
    {
      name: "version not pinned with scope",
      expect: "catches",
      text: "RUN npm install @myorg/privatepackage\n",
    },
    {
      name: "version not pinned with scope",
      expect: "onbuildCatches",
      text: "RUN npm install @myorg/privatepackage\n",
    },
    {
      name: "version not pinned multiple packages",
      expect: "catches",
      text: "RUN npm install express sax@0.1.1\n",
    },
    {
      name: "version not pinned multiple packages",
      expect: "onbuildCatches",
      text: "RUN npm install express sax@0.1.1\n",
    },
    {
      name: "version not pinned with --global",
      expect: "catches",
      text: "RUN npm install --global express\n",
    },
    {
      name: "version not pinned with --global",
      expect: "onbuildCatches",
      text: "RUN npm install --global express\n",
    },
    {
      name: "commit not pinned for git+ssh",
      expect: "catches",
      text: "RUN npm install git+ssh://git@github.com:npm/npm.git\n",
    },
    {
      name: "commit not pinned for git+ssh",
      expect: "onbuildCatches",
      text: "RUN npm install git+ssh://git@github.com:npm/npm.git\n",
    },
    {
      name: "commit not pinned for git+http",
      expect: "catches",
      text: "RUN npm install git+http://isaacs@github.com/npm/npm\n",
    },
    {
      name: "commit not pinned for git+http",
      expect: "onbuildCatches",
      text: "RUN npm install git+http://isaacs@github.com/npm/npm\n",
    },
    {
      name: "commit not pinned for git+https",
      expect: "catches",
      text: "RUN npm install git+https://isaacs@github.com/npm/npm.git\n",
    },
    {
      name: "commit not pinned for git+https",
      expect: "onbuildCatches",
      text: "RUN npm install git+https://isaacs@github.com/npm/npm.git\n",
    },
    {
      name: "commit not pinned for git",
      expect: "catches",
      text: "RUN npm install git://github.com/npm/npm.git\n",
    },
    {
      name: "commit not pinned for git",
      expect: "onbuildCatches",
      text: "RUN npm install git://github.com/npm/npm.git\n",
    },
    {
      name: "don't fire on loglevel flag",
      expect: "not",
      text: "RUN npm install --loglevel verbose sax@0.1.1\n",
    },
    {
      name: "don't fire on loglevel flag",
      expect: "onbuildNot",
      text: "RUN npm install --loglevel verbose sax@0.1.1\n",
    },
    {
      name: "don't fire on registry flag",
      expect: "not",
      text: "RUN npm install --registry https://example.com sax@0.1.1\n",
    },
    {
      name: "don't fire on registry flag",
      expect: "onbuildNot",
      text: "RUN npm install --registry https://example.com sax@0.1.1\n",
    },
    {
      name: "version not pinned with --registry flag",
      expect: "catches",
      text: "RUN npm install --registry https://example.com express\n",
    },
    {
      name: "version not pinned with --registry flag",
      expect: "onbuildCatches",
      text: "RUN npm install --registry https://example.com express\n",
    },
    {
      name: "version not pinned with --registry=value form",
      expect: "catches",
      text: "RUN npm install --registry=https://example.com express\n",
    },
    {
      name: "version not pinned with --registry=value form",
      expect: "onbuildCatches",
      text: "RUN npm install --registry=https://example.com express\n",
    },
  ]);
});
