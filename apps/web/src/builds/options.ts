// Build options of `POST /api/v1/projects/:project/builds`, read from the query string (the body
// is the context tar). Each bad value is a 400 that names the parameter.

export type LintFailOn = "error" | "warning";

export interface BuildRequestOptions {
  dockerfile: string;
  tags: string[];
  platforms: string[];
  target?: string;
  buildArgs: Record<string, string>;
  noCache: boolean;
  /** Report lint findings in the stream (and to ingest). */
  lint: boolean;
  /** Set by `lint-fail-on`; null means "use the project's lint policy". */
  lintFailOn: LintFailOn | "none" | null;
  /** `push=1`: push every tag to its registry after a successful build. */
  push?: true;
}

export class BuildOptionsError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = "BuildOptionsError";
  }
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/;
// docker's reference grammar, loosely: [host[:port]/]path[:tag]
const TAG =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  if (value === null) return false;
  if (["", "1", "true", "yes"].includes(value.toLowerCase())) return true;
  if (["0", "false", "no"].includes(value.toLowerCase())) return false;
  throw new BuildOptionsError(name, `${name} must be 1 or 0, got ${JSON.stringify(value)}`);
}

/** Values of a repeatable parameter; comma-separated lists are split for `platform`. */
function all(params: URLSearchParams, name: string, split = false): string[] {
  const values = params.getAll(name).map((value) => value.trim());
  const out = split ? values.flatMap((value) => value.split(",")) : values;
  return out.map((value) => value.trim()).filter((value) => value !== "");
}

/**
 * Parses the query string. `projectPlatforms` are the platforms the project builds for: the
 * default when none is asked, and the only ones accepted.
 */
export function parseBuildOptions(
  params: URLSearchParams,
  projectPlatforms: string[],
): BuildRequestOptions {
  const dockerfile = params.get("dockerfile")?.trim() || "Dockerfile";
  if (dockerfile.startsWith("/") || dockerfile.split("/").includes("..")) {
    throw new BuildOptionsError(
      "dockerfile",
      `dockerfile must be a path inside the context, got ${JSON.stringify(dockerfile)}`,
    );
  }

  const tags = all(params, "tag");
  for (const tag of tags) {
    if (tag.length > 255 || !TAG.test(tag)) {
      throw new BuildOptionsError(
        "tag",
        `invalid tag ${JSON.stringify(tag)}: expected name[:tag], e.g. acme/web:1.2`,
      );
    }
  }

  const asked = [...new Set(all(params, "platform", true))];
  for (const platform of asked) {
    if (!PLATFORM.test(platform)) {
      throw new BuildOptionsError(
        "platform",
        `invalid platform ${JSON.stringify(platform)}: expected os/arch, e.g. linux/amd64`,
      );
    }
    if (!projectPlatforms.includes(platform)) {
      throw new BuildOptionsError(
        "platform",
        `unknown platform ${platform}: this project builds for ${projectPlatforms.join(", ")} ` +
          "(change the project's platforms in its settings)",
      );
    }
  }
  const platforms = asked.length > 0 ? asked : projectPlatforms.slice(0, 1);
  if (platforms.length === 0) {
    throw new BuildOptionsError("platform", "the project has no platforms configured");
  }

  const buildArgs: Record<string, string> = {};
  for (const raw of params.getAll("build-arg")) {
    const eq = raw.indexOf("=");
    const name = eq < 0 ? raw : raw.slice(0, eq);
    if (eq < 0 || !BUILD_ARG_NAME.test(name)) {
      throw new BuildOptionsError(
        "build-arg",
        `invalid build-arg ${JSON.stringify(raw)}: expected NAME=value`,
      );
    }
    buildArgs[name] = raw.slice(eq + 1);
  }

  const target = params.get("target")?.trim() || undefined;
  if (target !== undefined && !TARGET.test(target)) {
    throw new BuildOptionsError("target", `invalid target stage ${JSON.stringify(target)}`);
  }

  const failOn = params.get("lint-fail-on");
  let lintFailOn: BuildRequestOptions["lintFailOn"] = null;
  if (failOn !== null) {
    if (failOn !== "error" && failOn !== "warning" && failOn !== "none") {
      throw new BuildOptionsError(
        "lint-fail-on",
        `lint-fail-on must be error, warning or none, got ${JSON.stringify(failOn)}`,
      );
    }
    lintFailOn = failOn;
  }

  const push = flag(params, "push");
  if (push && tags.length === 0) {
    throw new BuildOptionsError("push", "push needs at least one tag naming the registry");
  }

  return {
    dockerfile,
    tags,
    platforms,
    ...(target !== undefined && { target }),
    buildArgs,
    noCache: flag(params, "no-cache"),
    lint: flag(params, "lint") || (lintFailOn !== null && lintFailOn !== "none"),
    lintFailOn,
    ...(push && { push: true as const }),
  };
}

/**
 * What stops a build after linting: the stricter of the request's `lint-fail-on` and the
 * project's lint policy (a request may tighten the policy, never loosen it).
 */
export function lintThreshold(
  options: Pick<BuildRequestOptions, "lintFailOn">,
  policy: "REPORT" | "FAIL_ON_ERROR" | "FAIL_ON_WARNING",
): LintFailOn | null {
  const asked = options.lintFailOn === "none" ? null : options.lintFailOn;
  const fromPolicy =
    policy === "FAIL_ON_WARNING" ? "warning" : policy === "FAIL_ON_ERROR" ? "error" : null;
  if (asked === "warning" || fromPolicy === "warning") return "warning";
  return asked ?? fromPolicy;
}
