import { describe } from "vitest";
import { ruleCases } from "./testing.ts";

// Catches / does-not-catch cases taken from hadolint's documented examples for DL4006.
describe("DL4006", () => {
  ruleCases("DL4006", [
    {
      name: "warn on missing pipefail",
      expect: "catches",
      text: "FROM scratch\nRUN wget -O - https://some.site | wc -l > /number\n\n",
    },
    {
      name: "don't warn on commands with no pipes",
      expect: "not",
      text: "FROM scratch as build\nRUN wget -O - https://some.site && wc -l file > /number\n\n",
    },
    {
      name: "don't warn on commands with pipes and the pipefail option",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "don't warn on commands with pipes and the pipefail option 2",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["/bin/bash", "-e", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "don't warn on commands with pipes and the pipefail option 3",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "don't warn on commands with pipes and the pipefail zsh",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["/bin/zsh", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "don't warn when bash is invoked via a non-standard absolute path",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["/usr/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "don't warn when zsh is invoked via a non-standard absolute path",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["/usr/local/bin/zsh", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "don't warn on powershell",
      expect: "not",
      text: 'FROM scratch as build\nSHELL ["pwsh", "-c"]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n\n',
    },
    {
      name: "warns when using plain sh",
      expect: "catches",
      text: 'FROM scratch as build\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "warn on missing pipefail in the next image",
      expect: "catches",
      text: 'FROM scratch as build\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\nFROM scratch as build2\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "warn on missing pipefail if next SHELL is not using it",
      expect: "catches",
      text: 'FROM scratch as build\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\nSHELL ["/bin/sh", "-c"]\nRUN wget -O - https://some.site | wc -l file > /number\n\n',
    },
    {
      name: "ignore non posix shells: pwsh",
      expect: "not",
      text: 'FROM mcr.microsoft.com/powershell:ubuntu-16.04\nSHELL [ "pwsh", "-c" ]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n\n',
    },
    {
      name: "ignore non posix shells: powershell",
      expect: "not",
      text: 'FROM mcr.microsoft.com/powershell:ubuntu-16.04\nSHELL [ "powershell.exe" ]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n\n',
    },
    {
      name: "ignore non posix shells: cmd.exe",
      expect: "not",
      text: 'FROM mcr.microsoft.com/powershell:ubuntu-16.04\nSHELL [ "cmd.exe", "/c" ]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n\n',
    },
  ]);
});
