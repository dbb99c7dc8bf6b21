/** containerd's platform specifier parsing (`os[/arch[/variant]]`), enough for BuildKit's checks. */

export interface Platform {
  os: string;
  architecture: string;
  variant: string;
}

const KNOWN_OS = new Set([
  "aix",
  "android",
  "darwin",
  "dragonfly",
  "freebsd",
  "hurd",
  "illumos",
  "ios",
  "js",
  "linux",
  "nacl",
  "netbsd",
  "openbsd",
  "plan9",
  "solaris",
  "wasip1",
  "windows",
  "zos",
]);
const KNOWN_ARCH = new Set([
  "386",
  "amd64",
  "amd64p32",
  "arm",
  "armbe",
  "arm64",
  "arm64be",
  "ppc64",
  "ppc64le",
  "loong64",
  "mips",
  "mipsle",
  "mips64",
  "mips64le",
  "mips64p32",
  "mips64p32le",
  "ppc",
  "riscv",
  "riscv64",
  "s390",
  "s390x",
  "sparc",
  "sparc64",
  "wasm",
]);

function normalizeArch(arch: string, variant: string): [string, string] {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case "i386":
      return ["386", ""];
    case "x86_64":
    case "x86-64":
    case "amd64":
      return ["amd64", v === "v1" ? "" : v];
    case "aarch64":
    case "arm64":
      return ["arm64", v === "8" || v === "v8" ? "" : v];
    case "armhf":
      return ["arm", "v7"];
    case "armel":
      return ["arm", "v6"];
    case "arm":
      if (v === "" || v === "7") return ["arm", "v7"];
      if (v === "5" || v === "6" || v === "8") return ["arm", `v${v}`];
      return ["arm", v];
    default:
      return [a, v];
  }
}

const COMPONENT = /^[A-Za-z0-9_.-]+$/;
/** Host defaults used when a specifier names only an OS or only an architecture. */
const DEFAULT_OS = "linux";
const DEFAULT_ARCH = "amd64";

/** Parses a platform specifier; null when containerd would reject it. */
export function parsePlatform(spec: string): Platform | null {
  let osPart = spec;
  // `windows(10.0.17763)/amd64`: OS version in parentheses.
  const paren = /^([^()/]+)\([^()]*\)(\/.*)?$/.exec(spec);
  if (paren) osPart = (paren[1] as string) + (paren[2] ?? "");
  const parts = osPart.split("/");
  for (const p of parts) if (!COMPONENT.test(p)) return null;
  if (parts.length === 1) {
    const p = (parts[0] as string).toLowerCase();
    if (KNOWN_OS.has(p)) return { os: p, architecture: DEFAULT_ARCH, variant: "" };
    const [a, v] = normalizeArch(p, "");
    if (KNOWN_ARCH.has(a)) return { os: DEFAULT_OS, architecture: a, variant: v };
    return null;
  }
  if (parts.length > 3) return null;
  const os = (parts[0] as string).toLowerCase();
  const [a, v] = normalizeArch(parts[1] as string, parts[2] ?? "");
  return { os: os === "macos" ? "darwin" : os, architecture: a, variant: v };
}
