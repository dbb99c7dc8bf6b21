/** hadolint rules the demo Dockerfiles trip, with hadolint's own level and message. */
export const HADOLINT_RULES = {
  DL3008: {
    level: "warning",
    message:
      "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
  },
  DL3009: { level: "info", message: "Delete the apt-get lists after installing something" },
  DL3013: {
    level: "warning",
    message:
      "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`",
  },
  DL3015: {
    level: "info",
    message: "Avoid additional packages by specifying `--no-install-recommends`",
  },
  DL3018: {
    level: "warning",
    message:
      "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
  },
  DL3025: {
    level: "warning",
    message: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
  },
  DL3042: {
    level: "warning",
    message: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
  },
  DL3059: {
    level: "info",
    message: "Multiple consecutive `RUN` instructions. Consider consolidation.",
  },
  DL4006: {
    level: "warning",
    message:
      "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
  },
  SC2086: { level: "info", message: "Double quote to prevent globbing and word splitting." },
} as const satisfies Record<
  string,
  { level: "error" | "warning" | "info" | "style"; message: string }
>;

export type HadolintCode = keyof typeof HADOLINT_RULES;
