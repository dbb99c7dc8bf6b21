/**
 * Whether a string is an image reference BuildKit accepts (distribution/reference's
 * ParseNormalizedNamed): `[domain[:port]/]path[:tag][@digest]`, lowercase path components.
 */

const alnum = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const domainAndPort = `${host}(?::[0-9]+)?`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const tag = "[\\w][\\w.-]{0,127}";
const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(
  `^((?:${domainAndPort}/)?${remoteName})(?::(${tag}))?(?:@(${digest}))?$`,
);
const NAME = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const IDENTIFIER = /^[a-f0-9]{64}$/;

function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf("/");
  if (slash < 0) return ["docker.io", `library/${name}`];
  const maybeDomain = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === "localhost") [domain, remote] = [maybeDomain, rest];
  else if (maybeDomain === "index.docker.io") [domain, remote] = ["docker.io", rest];
  else if (/[.:]/.test(maybeDomain) || maybeDomain.toLowerCase() !== maybeDomain)
    [domain, remote] = [maybeDomain, rest];
  else [domain, remote] = ["docker.io", name];
  if (domain === "docker.io" && !remote.includes("/")) remote = `library/${remote}`;
  return [domain, remote];
}

const cache = new Map<string, boolean>();

export function isValidImageReference(s: string): boolean {
  let v = cache.get(s);
  if (v === undefined) {
    v = computeValid(s);
    if (cache.size > 2000) cache.clear();
    cache.set(s, v);
  }
  return v;
}

function computeValid(s: string): boolean {
  if (IDENTIFIER.test(s)) return false;
  const [domain, remainder] = splitDockerDomain(s);
  const colon = remainder.indexOf(":");
  const remote = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remote.toLowerCase() !== remote) return false;
  const full = `${domain}/${remainder}`;
  const m = REFERENCE.exec(full);
  if (!m) return false;
  const name = NAME.exec(m[1] as string);
  const path = name ? (name[2] as string) : (m[1] as string);
  return path.length <= 255;
}
