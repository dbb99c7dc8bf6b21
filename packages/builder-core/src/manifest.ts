import { createHash } from "node:crypto";
import { z } from "zod";
import { normalizePlatform } from "./platform.ts";
import { classifyPushError, type PushError, type PushOptions, splitReference } from "./push.ts";

export const MANIFEST_LIST_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";
export const OCI_INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
];

export interface ManifestListOptions {
  /** host[:port]/repository:tag, as the platform images were pushed. */
  tag: string;
  /** Each platform's image manifest, already in that repository. */
  manifests: { platform: string; digest: string }[];
  auth?: PushOptions["auth"];
  signal?: AbortSignal;
  /**
   * Plain HTTP for this registry. Default: loopback registries (127.0.0.0/8, localhost, ::1),
   * which Docker also treats as insecure; everything else is HTTPS.
   */
  insecure?: boolean;
}

export type ManifestListResult =
  | { ok: true; digest: string; mediaType: string; size: number }
  | { ok: false; error: PushError };

/** Docker's rules: the first part names a registry when it has a dot or port, or is localhost. */
export function registryOf(reference: string): { host: string; name: string; tag: string } {
  const { repository, tag } = splitReference(reference);
  const slash = repository.indexOf("/");
  const first = slash < 0 ? "" : repository.slice(0, slash);
  if (first && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return { host: first, name: repository.slice(slash + 1), tag };
  }
  const name = repository.includes("/") ? repository : `library/${repository}`;
  return { host: "registry-1.docker.io", name, tag };
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

const challengeSchema = z.object({ realm: z.string().url(), service: z.string().optional() });

/** `Bearer realm="...",service="..."` → its parameters. */
function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const match of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    if (match[1]) params[match[1]] = match[2] ?? "";
  }
  return { scheme, params };
}

/**
 * A small client for one repository of a registry (HTTP API v2): it answers auth challenges
 * with the push credentials (Basic, or a Bearer token from the registry's token service).
 */
class RegistryClient {
  #authorization: string | undefined;
  readonly base: string;

  constructor(
    readonly host: string,
    readonly name: string,
    readonly auth: ManifestListOptions["auth"],
    insecure: boolean,
    readonly signal: AbortSignal | undefined,
  ) {
    this.base = `${insecure ? "http" : "https"}://${host}/v2/${name}`;
  }

  async request(path: string, init: RequestInit): Promise<Response> {
    const send = () =>
      fetch(`${this.base}${path}`, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(this.#authorization && { authorization: this.#authorization }),
        },
        ...(this.signal && { signal: this.signal }),
      });
    let response = await send();
    if (response.status === 401 && !this.#authorization) {
      const challenge = response.headers.get("www-authenticate");
      await response.body?.cancel();
      if (challenge && (await this.#answer(challenge))) response = await send();
    }
    return response;
  }

  async #answer(header: string): Promise<boolean> {
    const { scheme, params } = parseChallenge(header);
    const { username, password, identitytoken } = this.auth ?? {};
    const basic =
      username !== undefined
        ? `Basic ${Buffer.from(`${username}:${password ?? ""}`).toString("base64")}`
        : undefined;
    if (scheme === "basic") {
      this.#authorization = basic;
      return basic !== undefined;
    }
    if (scheme !== "bearer") return false;
    const challenge = challengeSchema.safeParse(params);
    if (!challenge.success) return false;
    const url = new URL(challenge.data.realm);
    if (challenge.data.service) url.searchParams.set("service", challenge.data.service);
    url.searchParams.set("scope", `repository:${this.name}:pull,push`);
    const answer = await fetch(url, {
      ...(basic && { headers: { authorization: basic } }),
      ...(this.signal && { signal: this.signal }),
    });
    if (!answer.ok) return false;
    const body = z
      .object({ token: z.string().optional(), access_token: z.string().optional() })
      .parse(await answer.json());
    const token = body.token ?? body.access_token ?? identitytoken;
    if (!token) return false;
    this.#authorization = `Bearer ${token}`;
    return true;
  }
}

function platformFields(platform: string): { os: string; architecture: string; variant?: string } {
  const [os = "", architecture = "", variant] = normalizePlatform(platform).split("/");
  return { os, architecture, ...(variant && { variant }) };
}

/**
 * Pushes a manifest list (Docker's manifest list, or an OCI image index when the platform images
 * are OCI manifests) under `tag`, naming each platform's image by digest, through the registry's
 * HTTP API v2: the images themselves were pushed by the platforms' engines before. Pulling the
 * tag then gives each platform its own image.
 */
export async function pushManifestList(options: ManifestListOptions): Promise<ManifestListResult> {
  const { host, name, tag } = registryOf(options.tag);
  const fail = (message: string, kind?: PushError["kind"]): ManifestListResult => ({
    ok: false,
    error: {
      kind: kind ?? classifyPushError(message),
      message: `manifest list for ${options.tag} failed: ${message}`,
      tag: options.tag,
    },
  });
  const missing = options.manifests.find((entry) => !/^sha256:[0-9a-f]{64}$/.test(entry.digest));
  if (missing) {
    return fail(`the ${missing.platform} image was not pushed (no digest)`, "push-failed");
  }
  const client = new RegistryClient(
    host,
    name,
    options.auth,
    options.insecure ?? isLoopback(host),
    options.signal,
  );
  try {
    const entries: { mediaType: string; size: number; digest: string; platform: object }[] = [];
    for (const { platform, digest } of options.manifests) {
      const head = await client.request(`/manifests/${digest}`, {
        method: "HEAD",
        headers: { accept: MANIFEST_TYPES.join(", ") },
      });
      if (head.status === 401 || head.status === 403) {
        return fail(`the registry refused access (${head.status})`, "registry-auth");
      }
      if (!head.ok) {
        return fail(`the ${platform} image ${digest} is not in ${host}/${name} (${head.status})`);
      }
      const mediaType = head.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
      const size = Number(head.headers.get("content-length"));
      if (!MANIFEST_TYPES.includes(mediaType) || !Number.isFinite(size)) {
        return fail(`the ${platform} image ${digest} is a ${mediaType || "unknown"} manifest`);
      }
      entries.push({ mediaType, size, digest, platform: platformFields(platform) });
    }
    const oci = entries.every((entry) => entry.mediaType.includes("oci"));
    const mediaType = oci ? OCI_INDEX_TYPE : MANIFEST_LIST_TYPE;
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: entries }));
    const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    const put = await client.request(`/manifests/${encodeURIComponent(tag)}`, {
      method: "PUT",
      headers: { "content-type": mediaType },
      body,
    });
    if (put.status === 401 || put.status === 403) {
      return fail(`the registry refused the push (${put.status})`, "registry-auth");
    }
    if (!put.ok) {
      const text = (await put.text().catch(() => "")).slice(0, 300);
      return fail(`the registry answered ${put.status}: ${text}`);
    }
    await put.body?.cancel().catch(() => undefined);
    return {
      ok: true,
      digest: put.headers.get("docker-content-digest") ?? digest,
      mediaType,
      size: body.length,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = [
      error instanceof Error ? error.message : String(error),
      cause?.code,
      cause?.message,
    ]
      .filter(Boolean)
      .join(": ");
    if (options.signal?.aborted) return fail("canceled", "push-failed");
    return fail(reason, "registry-unreachable");
  }
}
