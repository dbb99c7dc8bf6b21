import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL3013.
describe("DL3013", () => {
  ruleCases("DL3013", [
    {
      name: "pip2 version not pinned",
      expect: "catches",
      text: "RUN pip2 install MySQL_python\n",
    },
    {
      name: "pip2 version not pinned",
      expect: "onbuildCatches",
      text: "RUN pip2 install MySQL_python\n",
    },
    {
      name: "pip3 version not pinned",
      expect: "catches",
      text: "RUN pip3 install MySQL_python\n",
    },
    {
      name: "pip3 version not pinned",
      expect: "onbuildCatches",
      text: "RUN pip2 install MySQL_python\n",
    },
    {
      name: "pip3 version pinned",
      expect: "not",
      text: "RUN pip3 install MySQL_python==1.2.2\n",
    },
    {
      name: "pip3 version pinned",
      expect: "onbuildNot",
      text: "RUN pip3 install MySQL_python==1.2.2\n",
    },
    {
      name: "pip3 install from local package",
      expect: "not",
      text: "RUN pip3 install mypkg.whl\n",
    },
    {
      name: "pip3 install from local package",
      expect: "not",
      text: "RUN pip3 install mypkg.tar.gz\n",
    },
    {
      name: "pip3 install from local package",
      expect: "onbuildNot",
      text: "RUN pip3 install mypkg.whl\n",
    },
    {
      name: "pip3 install from local package",
      expect: "onbuildNot",
      text: "RUN pip3 install mypkg.tar.gz\n",
    },
    {
      name: "pip install requirements",
      expect: "not",
      text: "RUN pip install -r requirements.txt\n",
    },
    {
      name: "pip install requirements",
      expect: "onbuildNot",
      text: "RUN pip install -r requirements.txt\n",
    },
    {
      name: "pip install requirements with long flag",
      expect: "not",
      text: "RUN pip install --requirement requirements.txt\n",
    },
    {
      name: "pip install requirements with long flag",
      expect: "onbuildNot",
      text: "RUN pip install --requirement requirements.txt\n",
    },
    {
      name: "pip install use setup.py",
      expect: "not",
      text: "RUN pip install .\n",
    },
    {
      name: "pip install use setup.py",
      expect: "onbuildNot",
      text: "RUN pip install .\n",
    },
    {
      name: "pip version not pinned",
      expect: "catches",
      text: "RUN pip install MySQL_python\n",
    },
    {
      name: "pip version not pinned",
      expect: "onbuildCatches",
      text: "RUN pip install MySQL_python\n",
    },
    {
      name: "pip version pinned",
      expect: "not",
      text: "RUN pip install MySQL_python==1.2.2\n",
    },
    {
      name: "pip version pinned",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python==1.2.2\n",
    },
    {
      name: "pip version pinned with ~= operator",
      expect: "not",
      text: "RUN pip install MySQL_python~=1.2.2\n",
    },
    {
      name: "pip version pinned with ~= operator",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python~=1.2.2\n",
    },
    {
      name: "pip version pinned with === operator",
      expect: "not",
      text: "RUN pip install MySQL_python===1.2.2\n",
    },
    {
      name: "pip version pinned with === operator",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python===1.2.2\n",
    },
    {
      name: "pip version pinned with flag --ignore-installed",
      expect: "not",
      text: "RUN pip install --ignore-installed MySQL_python==1.2.2\n",
    },
    {
      name: "pip version pinned with flag --ignore-installed",
      expect: "onbuildNot",
      text: "RUN pip install --ignore-installed MySQL_python==1.2.2\n",
    },
    {
      name: "pip version pinned with flag --build",
      expect: "not",
      text: "RUN pip3 install --build /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --build",
      expect: "onbuildNot",
      text: "RUN pip3 install --build /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --prefix",
      expect: "not",
      text: "RUN pip3 install --prefix /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --prefix",
      expect: "onbuildNot",
      text: "RUN pip3 install --prefix /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --root",
      expect: "not",
      text: "RUN pip3 install --root /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --root",
      expect: "onbuildNot",
      text: "RUN pip3 install --root /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --target",
      expect: "not",
      text: "RUN pip3 install --target /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --target",
      expect: "onbuildNot",
      text: "RUN pip3 install --target /opt/yamllint yamllint==1.20.0\n",
    },
    {
      name: "pip version pinned with flag --trusted-host",
      expect: "not",
      text: "RUN pip3 install --trusted-host host example==1.2.2\n",
    },
    {
      name: "pip version pinned with flag --trusted-host",
      expect: "onbuildNot",
      text: "RUN pip3 install --trusted-host host example==1.2.2\n",
    },
    {
      name: "pip version pinned with python -m",
      expect: "not",
      text: "RUN python -m pip install example==1.2.2\n",
    },
    {
      name: "pip version pinned with python -m",
      expect: "onbuildNot",
      text: "RUN python -m pip install example==1.2.2\n",
    },
    {
      name: "pip version not pinned with python -m",
      expect: "catches",
      text: "RUN python -m pip install example\n",
    },
    {
      name: "pip version not pinned with python -m",
      expect: "onbuildCatches",
      text: "RUN python -m pip install --index-url url example\n",
    },
    {
      name: "pip install git",
      expect: "not",
      text: "RUN pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext\n",
    },
    {
      name: "pip install git",
      expect: "onbuildNot",
      text: "RUN pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext\n",
    },
    {
      name: "pip install git",
      expect: "not",
      text: "RUN pip install git+ssh://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext\n",
    },
    {
      name: "pip install git",
      expect: "onbuildNot",
      text: "RUN pip install git+ssh://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext\n",
    },
    {
      name: "pip install unversioned git",
      expect: "catches",
      text: "RUN pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext\n",
    },
    {
      name: "pip install unversioned git",
      expect: "onbuildCatches",
      text: "RUN pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext\n",
    },
    {
      name: "pip install unversioned git",
      expect: "catches",
      text: "RUN pip install git+ssh://github.com/rtfd/read-ext.git#egg=read-ext\n",
    },
    {
      name: "pip install unversioned git",
      expect: "onbuildCatches",
      text: "RUN pip install git+ssh://github.com/rtfd/read-ext.git#egg=read-ext\n",
    },
    {
      name: "pip install local dir",
      expect: "not",
      text: "RUN pip install foo/bar\n",
    },
    {
      name: "pip install local dir",
      expect: "onbuildNot",
      text: "RUN pip install foo/bar\n",
    },
    {
      name: "pip install https url package",
      expect: "not",
      text: "RUN pip install https://foo.bar/baz.zip\n",
    },
    {
      name: "pip install https url package",
      expect: "onbuildNot",
      text: "RUN pip install https://foo.bar/baz.zip\n",
    },
    {
      name: "pip install upper bound",
      expect: "not",
      text: "RUN pip install 'alabaster>=0.7'\n",
    },
    {
      name: "pip install upper bound",
      expect: "onbuildNot",
      text: "RUN pip install 'alabaster>=0.7'\n",
    },
    {
      name: "pip install lower bound",
      expect: "not",
      text: "RUN pip install 'alabaster<0.7'\n",
    },
    {
      name: "pip install lower bound",
      expect: "onbuildNot",
      text: "RUN pip install 'alabaster<0.7'\n",
    },
    {
      name: "pip install excluded version",
      expect: "not",
      text: "RUN pip install 'alabaster!=0.7'\n",
    },
    {
      name: "pip install excluded version",
      expect: "onbuildNot",
      text: "RUN pip install 'alabaster!=0.7'\n",
    },
    {
      name: "pip install user directory",
      expect: "not",
      text: "RUN pip install MySQL_python==1.2.2 --user\n",
    },
    {
      name: "pip install user directory",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python==1.2.2 --user\n",
    },
    {
      name: "pip install no pip version check",
      expect: "not",
      text: "RUN pip install MySQL_python==1.2.2 --disable-pip-version-check\n",
    },
    {
      name: "pip install no pip version check",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python==1.2.2 --disable-pip-version-check\n",
    },
    {
      name: "pip install --index-url",
      expect: "not",
      text: "RUN pip install --index-url https://eg.com/foo foobar==1.0.0\n",
    },
    {
      name: "pip install --index-url",
      expect: "onbuildNot",
      text: "RUN pip install --index-url https://eg.com/foo foobar==1.0.0\n",
    },
    {
      name: "pip install index-url with -i flag",
      expect: "not",
      text: "RUN pip install --index-url https://eg.com/foo foobar==1.0.0\n",
    },
    {
      name: "pip install index-url with -i flag",
      expect: "onbuildNot",
      text: "RUN pip install --index-url https://eg.com/foo foobar==1.0.0\n",
    },
    {
      name: "pip install --index-url with --extra-index-url",
      expect: "not",
      text: "RUN pip install --index-url https://eg.com/foo --extra-index-url https://ex-eg.io/foo foobar==1.0.0\n",
    },
    {
      name: "pip install --index-url with --extra-index-url",
      expect: "onbuildNot",
      text: "RUN pip install --index-url https://eg.com/foo --extra-index-url https://ex-eg.io/foo foobar==1.0.0\n",
    },
    {
      name: "pip install no cache dir",
      expect: "not",
      text: "RUN pip install MySQL_python==1.2.2 --no-cache-dir\n",
    },
    {
      name: "pip install no cache dir",
      expect: "onbuildNot",
      text: "RUN pip install MySQL_python==1.2.2 --no-cache-dir\n",
    },
    {
      name: "pip install constraints file - long version argument",
      expect: "not",
      text: "RUN pip install pykafka --constraint http://foo.bar.baz\n",
    },
    {
      name: "pip install constraints file - long version argument",
      expect: "onbuildNot",
      text: "RUN pip install pykafka --constraint http://foo.bar.baz\n",
    },
    {
      name: "pip install constraints file - short version argument",
      expect: "not",
      text: "RUN pip install pykafka -c http://foo.bar.baz\n",
    },
    {
      name: "pip install constraints file - short version argument",
      expect: "onbuildNot",
      text: "RUN pip install pykafka -c http://foo.bar.baz\n",
    },
    {
      name: "pip install --index-url with --extra-index-url with basic auth",
      expect: "not",
      text: "RUN pip install --index-url https://user:pass@eg.com/foo --extra-index-url https://user:pass@ex-eg.io/foo foobar==1.0.0\n",
    },
    {
      name: "pip install --index-url with --extra-index-url with basic auth",
      expect: "onbuildNot",
      text: "RUN pip install --index-url https://user:pass@eg.com/foo --extra-index-url https://user:pass@ex-eg.io/foo foobar==1.0.0\n",
    },
    {
      name: "pipenv is not pip",
      expect: "not",
      text: "RUN pipenv install black\n",
    },
    {
      name: "pipenv is not pip",
      expect: "onbuildNot",
      text: "RUN pipenv install black\n",
    },
    {
      name: "pipx version not pinned",
      expect: "catches",
      text: "RUN pipx install black\n",
    },
    {
      name: "pipx version not pinned",
      expect: "onbuildCatches",
      text: "RUN pipx install black\n",
    },
    {
      name: "pipx install --python argument is not a package",
      expect: "not",
      text: 'RUN pipx install --python "$(which python)" "poetry==1.8.5"\n',
    },
    {
      name: "pipx install --python argument is not a package",
      expect: "onbuildNot",
      text: 'RUN pipx install --python "$(which python)" "poetry==1.8.5"\n',
    },
    {
      name: "pip install --root-user-action argument is not a package",
      expect: "not",
      text: "RUN pip install --no-cache-dir --root-user-action ignore poetry==1.8.5\n",
    },
    {
      name: "pip install --root-user-action argument is not a package",
      expect: "onbuildNot",
      text: "RUN pip install --no-cache-dir --root-user-action ignore poetry==1.8.5\n",
    },
    {
      name: "pip install flag=value still checks the package",
      expect: "catches",
      text: "RUN pip install --root-user-action=ignore mypkg\n",
    },
    {
      name: "pip install flag=value still checks the package",
      expect: "onbuildCatches",
      text: "RUN pip install --root-user-action=ignore mypkg\n",
    },
  ]);
});
