import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { packContext } from "@slipway/builder-core";
import { type ApiClient, ApiRequestError, clientFor } from "./api.ts";
import { resolveCredentials } from "./config.ts";
import {
  type BuildStreamEvent,
  createRenderer,
  type Output,
  type ProgressMode,
} from "./progress.ts";

export interface BuildCommandOptions {
  file?: string;
  tag: string[];
  platform?: string;
  buildArg: string[];
  target?: string;
  cache: boolean;
  lint?: boolean;
  lintFailOn?: string;
  /** Push the tags to their registries after a successful build. */
  push?: boolean;
  project?: string;
  progress: string;
  url?: string;
}

const PROGRESS_MODES = ["auto", "plain", "json", "tty"];

/** Reads NDJSON lines from a response body as they arrive. */
async function* ndjson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line);
      newline = buffer.indexOf("\n");
    }
  }
  const rest = (buffer + decoder.decode()).trim();
  if (rest) yield JSON.parse(rest);
}

/** The project to build: --project, else the token's own project, else the org's only one. */
async function pickProject(client: ApiClient, asked: string | undefined): Promise<string> {
  // the build request names the project itself (id or slug) and answers 404 naming it when the
  // token cannot see it: asking first would cost a round trip on every build
  if (asked) return asked;
  const { token, projects } = await client.projects();
  const only = projects[0];
  if (only && (token.scope === "project" || projects.length === 1)) return only.slug;
  const names = projects.map((p) => p.slug).join(", ") || "none yet";
  throw new Error(`name the project with --project (this org's projects: ${names})`);
}

/**
 * `slipway build [PATH]`: streams the context as a tar (honouring .dockerignore) to the server,
 * shows the build's progress, and exits 0 only when the build succeeded.
 */
export async function runBuildCommand(
  path: string,
  options: BuildCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
  output: Output = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  },
): Promise<number> {
  if (!PROGRESS_MODES.includes(options.progress)) {
    throw new Error(`--progress must be auto, plain or json, got ${options.progress}`);
  }
  if (options.lintFailOn && !["error", "warning"].includes(options.lintFailOn)) {
    throw new Error(`--lint-fail-on must be error or warning, got ${options.lintFailOn}`);
  }
  const contextDir = resolve(path);
  const info = await stat(contextDir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`the build context ${contextDir} is not a folder`);
  // like docker: -f is relative to the current folder; without it, PATH/Dockerfile
  const dockerfilePath = options.file ? resolve(options.file) : resolve(contextDir, "Dockerfile");
  const dockerfileInfo = await stat(dockerfilePath).catch(() => undefined);
  if (!dockerfileInfo?.isFile()) {
    throw new Error(
      `no Dockerfile at ${dockerfilePath}${options.file ? "" : " (name another one with -f)"}`,
    );
  }

  const credentials = await resolveCredentials(options, env);
  const client = clientFor(credentials);
  // packing starts now: the first MiB of the tar is read while the project is looked up
  const packed = await packContext({ contextDir, dockerfilePath });
  // a read error while nothing consumes the stream yet must not crash the command: the upload
  // below reports it
  packed.stream.on("error", () => undefined);
  let project: string;
  try {
    project = await pickProject(client, credentials.project);
  } catch (error) {
    packed.stream.destroy();
    throw error;
  }
  const query = new URLSearchParams({ dockerfile: packed.dockerfileName });
  for (const tag of options.tag) query.append("tag", tag);
  if (options.platform) query.set("platform", options.platform);
  for (const arg of options.buildArg) {
    // like docker: `--build-arg NAME` takes the value from the environment
    query.append("build-arg", arg.includes("=") ? arg : `${arg}=${env[arg] ?? ""}`);
  }
  if (options.target) query.set("target", options.target);
  if (!options.cache) query.set("no-cache", "1");
  if (options.lint) query.set("lint", "1");
  if (options.lintFailOn) query.set("lint-fail-on", options.lintFailOn);
  if (options.push) query.set("push", "1");

  const renderer = createRenderer(
    options.progress as ProgressMode,
    output,
    Boolean(process.stdout.isTTY),
  );
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1 || !renderer.buildId) process.exit(130);
    output.err(`\ncanceling build #${renderer.buildNumber}... (Ctrl-C again to leave now)\n`);
    client.cancelBuild(renderer.buildId).catch((error: Error) => {
      output.err(`could not cancel: ${error.message}\n`);
    });
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onInterrupt);
  try {
    const response = await client.fetch(`projects/${encodeURIComponent(project)}/builds?${query}`, {
      method: "POST",
      headers: { "content-type": "application/x-tar" },
      body: Readable.toWeb(packed.stream) as unknown as ReadableStream<Uint8Array>,
      duplex: "half",
    });
    if (!response.body) throw new Error("the server answered without a body");
    try {
      for await (const raw of ndjson(response.body)) renderer.handle(raw as BuildStreamEvent);
    } catch (error) {
      throw new Error(`lost the build's progress stream: ${(error as Error).message}`);
    }
  } catch (error) {
    if (error instanceof ApiRequestError) throw new Error(error.message);
    throw error;
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
    packed.stream.destroy();
    renderer.finish();
  }
  const summary = renderer.summary;
  if (!summary) {
    output.err("error: the server ended the build's stream without a result\n");
    return 1;
  }
  return summary.status === "succeeded" ? 0 : summary.status === "canceled" ? 130 : 1;
}
