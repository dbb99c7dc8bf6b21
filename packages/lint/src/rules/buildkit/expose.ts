/** EXPOSE port parsing shared by ExposeProtoCasing and ExposeInvalidFormat (BuildKit's parsePort). */
import { UNKNOWN_CHAR } from "../../buildkit/words.ts";

export interface ExposedPort {
  raw: string;
  ip: string;
  hostPort: string;
  proto: string;
}

/** The port spec split like BuildKit, or null when BuildKit rejects it before linting it. */
export function splitPort(raw: string): ExposedPort | null {
  if (raw.includes(UNKNOWN_CHAR)) return null;
  const parts = raw.split(":");
  let ip = "";
  let hostPort = "";
  let container: string;
  if (parts.length === 1) container = parts[0] as string;
  else if (parts.length === 2) [hostPort, container] = parts as [string, string];
  else {
    const n = parts.length;
    ip = parts.slice(0, n - 2).join(":");
    hostPort = parts[n - 2] as string;
    container = parts[n - 1] as string;
  }
  const slash = container.indexOf("/");
  const port = slash < 0 ? container : container.slice(0, slash);
  const proto = slash < 0 ? "" : container.slice(slash + 1);
  if (!port) return null;
  if (!["", "tcp", "udp", "sctp"].includes(proto.toLowerCase())) return null;
  return { raw, ip, hostPort, proto };
}
