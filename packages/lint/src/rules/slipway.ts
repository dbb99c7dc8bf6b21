/** Helpers shared by the Slipway (SW) build-speed rules. */
import { memoOf, runShell } from "../parser/instructions.ts";
import { type ShellCommand, unwrapCommand } from "../parser/shell.ts";
import type { Instruction } from "../parser/types.ts";

export interface Installer {
  tool: string;
  /** Cache directory a `--mount=type=cache` should target. */
  cache: string;
  /** Installs from a manifest in the build context (package.json, requirements.txt...). */
  fromManifest: boolean;
}

/** Command names `installers` recognises (after unwrapping sudo/env...). */
export const INSTALLER_COMMANDS: readonly string[] = [
  "apt-get",
  "apk",
  "dnf",
  "yum",
  "pip",
  "pip3",
  "npm",
  "yarn",
  "pnpm",
  "go",
  "bundle",
  "composer",
  "cargo",
];

const NO_INSTALLERS: Installer[] = [];

/** Package installs of a RUN (memoised: three rules ask). */
export function installers(i: Instruction): Installer[] {
  if (i.keyword !== "RUN") return NO_INSTALLERS;
  const m = memoOf(i);
  m.installers ??= computeInstallers(i);
  return m.installers as Installer[];
}

function computeInstallers(i: Instruction): Installer[] {
  const out: Installer[] = [];
  for (const raw of runShell(i).commands) {
    const c: ShellCommand = unwrapCommand(raw);
    const a = c.args;
    if (c.name === "apt-get" && a.includes("install"))
      out.push({ tool: "apt-get", cache: "/var/cache/apt", fromManifest: false });
    else if (c.name === "apk" && a.includes("add"))
      out.push({ tool: "apk", cache: "/var/cache/apk", fromManifest: false });
    else if ((c.name === "dnf" || c.name === "yum") && a.includes("install"))
      out.push({ tool: c.name, cache: `/var/cache/${c.name}`, fromManifest: false });
    else if (/^pip3?$/.test(c.name) && a.includes("install"))
      out.push({
        tool: "pip",
        cache: "/root/.cache/pip",
        fromManifest: a.includes("-r") || a.includes("--requirement") || a.includes("."),
      });
    else if (c.name === "npm" && (a[0] === "ci" || a[0] === "install" || a[0] === "i"))
      out.push({ tool: "npm", cache: "/root/.npm", fromManifest: a.length === 1 || a[0] === "ci" });
    else if (c.name === "yarn" && (a.length === 0 || a[0] === "install"))
      out.push({ tool: "yarn", cache: "/usr/local/share/.cache/yarn", fromManifest: true });
    else if (c.name === "pnpm" && a[0] === "install")
      out.push({ tool: "pnpm", cache: "/root/.local/share/pnpm/store", fromManifest: true });
    else if (c.name === "go" && a[0] === "mod" && a[1] === "download")
      out.push({ tool: "go", cache: "/go/pkg/mod", fromManifest: true });
    else if (c.name === "bundle" && (a.length === 0 || a[0] === "install"))
      out.push({ tool: "bundle", cache: "/usr/local/bundle/cache", fromManifest: true });
    else if (c.name === "composer" && a[0] === "install")
      out.push({ tool: "composer", cache: "/root/.composer/cache", fromManifest: true });
    else if (c.name === "cargo" && (a[0] === "build" || a[0] === "fetch"))
      out.push({ tool: "cargo", cache: "/usr/local/cargo/registry", fromManifest: true });
  }
  return out;
}

export function copiesContextRoot(i: Instruction): boolean {
  if ((i.keyword !== "COPY" && i.keyword !== "ADD") || i.flags.some((f) => f.name === "from"))
    return false;
  const parts = i.json ?? i.rest.split(/\s+/).filter(Boolean);
  return parts.slice(0, -1).some((s) => s === "." || s === "./" || s === "*");
}
