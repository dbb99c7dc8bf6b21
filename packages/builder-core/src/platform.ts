import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

const NODE_ARCH: Record<string, string> = {
  x64: "amd64",
  arm64: "arm64",
  arm: "arm",
  s390x: "s390x",
  ppc64: "ppc64le",
  riscv64: "riscv64",
  ia32: "386",
};

/** The platform this host runs natively, e.g. linux/amd64. */
export function hostPlatform(): string {
  return `linux/${NODE_ARCH[process.arch] ?? process.arch}`;
}

/** os/arch[/variant] in the OCI spelling: linux/arm64/v8 → linux/arm64, x86_64 → amd64. */
export function normalizePlatform(platform: string): string {
  const [os = "linux", rawArch = "", variant] = platform.trim().toLowerCase().split("/");
  const arch =
    { x86_64: "amd64", x86: "386", aarch64: "arm64", armhf: "arm", armel: "arm" }[rawArch] ??
    rawArch;
  if (arch === "arm64" && (variant === undefined || variant === "v8")) return `${os}/arm64`;
  if (arch === "arm" && variant === undefined) return `${os}/arm/v7`;
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

/** The architecture part of a platform (arm/v7 → arm). */
export function platformArch(platform: string): string {
  return normalizePlatform(platform).split("/")[1] ?? "";
}

/** Whether builds for `platform` run natively on this host. */
export function isNativePlatform(platform: string, native = hostPlatform()): boolean {
  return platformArch(platform) === platformArch(native);
}

/** Linux binfmt_misc entries as QEMU names them, per OCI architecture. */
const QEMU_NAMES: Record<string, string> = {
  arm64: "aarch64",
  arm: "arm",
  s390x: "s390x",
  ppc64le: "ppc64le",
  riscv64: "riscv64",
  amd64: "x86_64",
  "386": "i386",
};

export const BINFMT_DIR = "/proc/sys/fs/binfmt_misc";

/** True when the kernel runs this architecture's binaries through an enabled emulator. */
export function emulationAvailable(platform: string): boolean {
  const name = QEMU_NAMES[platformArch(platform)];
  if (!name) return false;
  try {
    return readFileSync(`${BINFMT_DIR}/qemu-${name}`, "utf8").startsWith("enabled");
  } catch {
    return false;
  }
}

/**
 * The aarch64 ELF header match as QEMU's own binfmt configuration describes it: a 64-bit
 * little-endian ELF executable or shared object for machine 0xb7 (AArch64).
 */
const AARCH64_MAGIC =
  "\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00";
const AARCH64_MASK =
  "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff";

export interface BinfmtResult {
  /** Architectures whose emulator is registered now (whether or not by this call). */
  registered: string[];
  /** Architectures this call registered. */
  added: string[];
  /** Why an architecture could not be registered. */
  problems: string[];
}

/**
 * Registers QEMU (Debian's qemu-user-static) for arm64 binaries with the kernel, so that engines
 * on this host can build linux/arm64 images under emulation. Mounts binfmt_misc when needed.
 * Idempotent: an existing registration is kept. Needs root. The `F` flag makes the kernel open
 * the interpreter now, so it works inside containers' mount namespaces too.
 */
export async function registerQemuBinfmt(
  options: { interpreter?: string } = {},
): Promise<BinfmtResult> {
  const interpreter = options.interpreter ?? "/usr/bin/qemu-aarch64-static";
  const result: BinfmtResult = { registered: [], added: [], problems: [] };
  if (!existsSync(`${BINFMT_DIR}/register`)) {
    try {
      await run("mount", ["-t", "binfmt_misc", "binfmt_misc", BINFMT_DIR]);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      result.problems.push(`could not mount binfmt_misc at ${BINFMT_DIR}: ${reason}`);
      return result;
    }
  }
  if (emulationAvailable("linux/arm64")) {
    result.registered.push("arm64");
    return result;
  }
  if (!existsSync(interpreter)) {
    result.problems.push(
      `${interpreter} not found: install Debian's qemu-user-static package to build linux/arm64`,
    );
    return result;
  }
  if (existsSync(`${BINFMT_DIR}/qemu-aarch64`)) {
    // registered but disabled: enable it
    await writeFile(`${BINFMT_DIR}/qemu-aarch64`, "1");
  } else {
    try {
      await writeFile(
        `${BINFMT_DIR}/register`,
        `:qemu-aarch64:M::${AARCH64_MAGIC}:${AARCH64_MASK}:${interpreter}:F`,
      );
    } catch (error) {
      // another process registered it in between
      if (!existsSync(`${BINFMT_DIR}/qemu-aarch64`)) {
        const reason = error instanceof Error ? error.message : String(error);
        result.problems.push(`could not register qemu-aarch64: ${reason}`);
        return result;
      }
    }
  }
  if (emulationAvailable("linux/arm64")) {
    result.registered.push("arm64");
    result.added.push("arm64");
  } else {
    result.problems.push("qemu-aarch64 is registered but not enabled");
  }
  return result;
}

/** No engine can build a platform: not native, no remote engine for it, no emulator. */
export class PlatformUnsupportedError extends Error {
  readonly platform: string;
  constructor(platform: string, native: string) {
    super(
      `no builder for platform ${platform}: this host builds ${native} natively, no remote engine ` +
        `is registered for ${platform}, and no QEMU emulator for ${platformArch(platform)} is ` +
        `registered with binfmt_misc (install qemu-user-static and call registerQemuBinfmt())`,
    );
    this.name = "PlatformUnsupportedError";
    this.platform = platform;
  }
}

/** Where a platform's builds go: this host natively, a remote native engine, or emulation here. */
export type PlatformRoute<Remote> =
  | { kind: "native"; platform: string }
  | { kind: "remote"; platform: string; remote: Remote }
  | { kind: "emulated"; platform: string };

/** Throws PlatformUnsupportedError when nothing can build `platform`. */
export function routePlatform<Remote extends { platform: string }>(
  platform: string,
  remotes: readonly Remote[],
  native = hostPlatform(),
): PlatformRoute<Remote> {
  const wanted = normalizePlatform(platform);
  if (isNativePlatform(wanted, native)) return { kind: "native", platform: wanted };
  const remote = remotes.find((candidate) => normalizePlatform(candidate.platform) === wanted);
  if (remote) return { kind: "remote", platform: wanted, remote };
  if (emulationAvailable(wanted)) return { kind: "emulated", platform: wanted };
  throw new PlatformUnsupportedError(wanted, native);
}
