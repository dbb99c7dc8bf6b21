import { z } from "zod";
import { type EngineTarget, engineMessage, engineStream, jsonLines } from "./engine-api.ts";

export interface PushedTag {
  tag: string;
  /** The manifest digest the registry stored. */
  digest?: string;
}

export interface PushError {
  kind: "registry-unreachable" | "registry-auth" | "push-failed";
  message: string;
  tag: string;
}

export interface PushOptions {
  tags: string[];
  auth?: {
    username?: string | undefined;
    password?: string | undefined;
    identitytoken?: string | undefined;
    serveraddress?: string | undefined;
  };
  signal?: AbortSignal;
  onEvent?: (
    event:
      | { type: "phase"; phase: "pushing"; tag: string }
      | { type: "pushed"; tag: string; digest?: string },
  ) => void;
}

export interface PushResult {
  pushed: PushedTag[];
  error?: PushError;
  canceled: boolean;
}

/** Splits host:5000/team/app:1 into its repository and tag (latest when none). */
export function splitReference(reference: string): { repository: string; tag: string } {
  const at = reference.indexOf("@");
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  const colon = withoutDigest.lastIndexOf(":");
  if (colon > withoutDigest.lastIndexOf("/")) {
    return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  }
  return { repository: withoutDigest, tag: "latest" };
}

/** Sorts a push error from the engine into what went wrong. */
export function classifyPushError(message: string): PushError["kind"] {
  if (
    /connection refused|no such host|dial tcp|i\/o timeout|network is unreachable|no route to host|server gave HTTP response to HTTPS client|tls: |x509: /i.test(
      message,
    )
  ) {
    return "registry-unreachable";
  }
  if (
    /unauthorized|authentication required|denied|forbidden|no basic auth credentials/i.test(message)
  ) {
    return "registry-auth";
  }
  return "push-failed";
}

const pushLineSchema = z.object({
  status: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z.object({ message: z.string().optional() }).optional(),
  aux: z.object({ Tag: z.string().optional(), Digest: z.string().optional() }).optional(),
});

/**
 * Pushes tags from the engine's image store to their registries, one after the other (the layers
 * they share go once). Stops at the first tag that fails; the error names the tag and the kind.
 */
export async function pushImage(engine: EngineTarget, options: PushOptions): Promise<PushResult> {
  const pushed: PushedTag[] = [];
  const auth = Buffer.from(JSON.stringify(options.auth ?? {})).toString("base64url");
  for (const tag of options.tags) {
    if (options.signal?.aborted) return { pushed, canceled: true };
    const { repository, tag: version } = splitReference(tag);
    options.onEvent?.({ type: "phase", phase: "pushing", tag });
    const fail = (message: string): PushResult => ({
      pushed,
      canceled: false,
      error: {
        kind: classifyPushError(message),
        message: `push of ${tag} failed: ${message}`,
        tag,
      },
    });
    let digest: string | undefined;
    let failure: string | undefined;
    try {
      const { response } = engineStream(engine, {
        method: "POST",
        // the repository keeps its slashes and port: the engine's route takes them as they are
        path: `/v1.41/images/${repository}/push?${new URLSearchParams({ tag: version })}`,
        headers: { "X-Registry-Auth": auth },
        ...(options.signal && { signal: options.signal }),
      });
      const res = await response;
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString("utf8");
        return fail(engineMessage({ statusCode: res.statusCode ?? 0, body }));
      }
      for await (const raw of jsonLines(res)) {
        const line = pushLineSchema.safeParse(raw);
        if (!line.success) continue;
        if (line.data.errorDetail || line.data.error) {
          failure = line.data.errorDetail?.message ?? line.data.error;
        }
        if (line.data.aux?.Digest) digest = line.data.aux.Digest;
      }
    } catch (error) {
      if (options.signal?.aborted) return { pushed, canceled: true };
      return fail(error instanceof Error ? error.message : String(error));
    }
    if (failure !== undefined) return fail(failure);
    pushed.push({ tag, ...(digest && { digest }) });
    options.onEvent?.({ type: "pushed", tag, ...(digest && { digest }) });
  }
  return { pushed, canceled: false };
}
