/**
 * Demo Dockerfiles for seeded builds. Each line is an instruction; the ones that BuildKit turns
 * into a vertex carry a relative cost (`w`, ~100 ms units on a native amd64 builder) and a
 * `keep` rank (lower ranks survive when a build has fewer steps than the file).
 */
import type { HadolintCode } from "./hadolint.ts";

export interface Instruction {
  text: string;
  /** Relative duration; absent for instructions without a vertex (ENV, USER, CMD, ...). */
  w?: number;
  /** Lower survives longer when trimming to a build's step count. */
  keep?: number;
  /** `COPY --from=<stage>`: waits for that stage. */
  from?: string;
  /** Reads the build context (COPY/ADD of local files). */
  context?: boolean;
}

export interface Stage {
  name: string;
  image: string;
  lines: Instruction[];
}

export interface Template {
  id: string;
  stages: Stage[];
  /** Extra steps for builds with more steps than the file: `[stage, instruction]`. */
  extras: (i: number) => [string, Instruction];
  /** Rules and the instruction text they flag (every line containing `match`). */
  findings: { code: HadolintCode; match: string }[];
}

const NODE = "node:20-bookworm-slim";

const PACKAGES = ["ui", "api-client", "emails", "billing", "search", "auth", "jobs", "reports"];
/** A package/command name for the n-th generated step (unique for every n). */
const pkg = (n: number) =>
  `${PACKAGES[n % PACKAGES.length]}${n >= PACKAGES.length ? `-${Math.floor(n / PACKAGES.length) + 1}` : ""}`;

/** A fixed list of extra steps, then as many generated ones as a build needs. */
function extras(
  fixed: [string, Instruction][],
  generate: (n: number) => [string, Instruction],
): Template["extras"] {
  return (i) => fixed[i] ?? generate(i - fixed.length);
}

export const TEMPLATES: readonly Template[] = [
  {
    id: "node-web",
    stages: [
      {
        name: "deps",
        image: NODE,
        lines: [
          { text: "WORKDIR /app", w: 0.3, keep: 3 },
          {
            text: "RUN apt-get update && apt-get install -y python3 make g++",
            w: 240,
            keep: 5,
          },
          { text: "COPY package.json package-lock.json ./", w: 1, keep: 2, context: true },
          { text: "RUN npm ci --omit=dev", w: 380, keep: 1 },
        ],
      },
      {
        name: "build",
        image: NODE,
        lines: [
          { text: "WORKDIR /app", w: 0.3, keep: 4 },
          { text: "COPY package.json package-lock.json ./", w: 1, keep: 2, context: true },
          { text: "RUN npm ci", w: 450, keep: 1 },
          { text: "COPY . .", w: 4, keep: 1, context: true },
          { text: "RUN npm run build", w: 320, keep: 1 },
        ],
      },
      {
        name: "runtime",
        image: NODE,
        lines: [
          { text: "ENV NODE_ENV=production" },
          { text: "WORKDIR /app", w: 0.3, keep: 4 },
          {
            text: "COPY --from=deps /app/node_modules ./node_modules",
            w: 30,
            keep: 2,
            from: "deps",
          },
          { text: "COPY --from=build /app/dist ./dist", w: 6, keep: 1, from: "build" },
          { text: "COPY package.json ./", w: 1, keep: 5, context: true },
          { text: "USER node" },
          { text: "EXPOSE 3000" },
          { text: "CMD node dist/server.js" },
        ],
      },
    ],
    extras: extras(
      [
        ["build", { text: "RUN npm run lint", w: 90 }],
        ["build", { text: "RUN npm test -- --reporter=dot", w: 210 }],
        ["build", { text: "COPY tsconfig.json ./", w: 1, context: true }],
        ["build", { text: "RUN npx prisma generate", w: 60 }],
      ],
      (n) => ["build", { text: `RUN npm run build --workspace=packages/${pkg(n)}`, w: 140 }],
    ),
    findings: [
      { code: "DL3008", match: "apt-get install" },
      { code: "DL3015", match: "apt-get install" },
      { code: "DL3009", match: "apt-get install" },
      { code: "DL3025", match: "CMD node" },
    ],
  },
  {
    id: "go-api",
    stages: [
      {
        name: "build",
        image: "golang:1.23-alpine",
        lines: [
          { text: "RUN apk add --no-cache git ca-certificates", w: 45, keep: 4 },
          { text: "WORKDIR /src", w: 0.3, keep: 5 },
          { text: "COPY go.mod go.sum ./", w: 1, keep: 2, context: true },
          { text: "RUN go mod download", w: 170, keep: 1 },
          { text: "COPY . .", w: 3, keep: 1, context: true },
          {
            text: "RUN CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/api ./cmd/api",
            w: 520,
            keep: 1,
          },
        ],
      },
      {
        name: "runtime",
        image: "alpine:3.20",
        lines: [
          { text: "RUN apk add --no-cache ca-certificates tzdata", w: 35, keep: 3 },
          {
            text: 'RUN wget -qO- "$GRPC_HEALTH_PROBE_URL" | tar -xz -C /usr/local/bin grpc_health_probe',
            w: 25,
            keep: 5,
          },
          { text: "COPY --from=build /out/api /usr/local/bin/api", w: 3, keep: 1, from: "build" },
          { text: "USER 65532:65532" },
          { text: 'ENTRYPOINT ["/usr/local/bin/api"]' },
        ],
      },
    ],
    extras: extras(
      [
        ["build", { text: "RUN go vet ./...", w: 140 }],
        ["build", { text: "COPY migrations ./migrations", w: 1, context: true }],
        ["build", { text: "RUN go test -short ./...", w: 260 }],
      ],
      (n) => [
        "build",
        { text: `RUN CGO_ENABLED=0 go build -trimpath -o /out/${pkg(n)} ./cmd/${pkg(n)}`, w: 230 },
      ],
    ),
    findings: [
      { code: "DL3018", match: "apk add" },
      { code: "DL4006", match: "| tar" },
      { code: "DL3059", match: "wget -qO-" },
    ],
  },
  {
    id: "python-worker",
    stages: [
      {
        name: "deps",
        image: "python:3.12-slim",
        lines: [
          { text: "WORKDIR /app", w: 0.3, keep: 4 },
          {
            text: "RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev",
            w: 260,
            keep: 5,
          },
          { text: "RUN pip install --upgrade pip poetry", w: 120, keep: 3 },
          { text: "COPY pyproject.toml poetry.lock ./", w: 1, keep: 2, context: true },
          {
            text: "RUN poetry export -f requirements.txt -o requirements.txt && pip install -r requirements.txt",
            w: 410,
            keep: 1,
          },
        ],
      },
      {
        name: "runtime",
        image: "python:3.12-slim",
        lines: [
          { text: "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1" },
          { text: "WORKDIR /app", w: 0.3, keep: 4 },
          {
            text: "COPY --from=deps /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages",
            w: 25,
            keep: 1,
            from: "deps",
          },
          { text: "COPY . .", w: 3, keep: 1, context: true },
          { text: "RUN python -m compileall -q src", w: 20, keep: 3 },
          { text: "USER 1000" },
          { text: 'CMD ["python", "-m", "worker"]' },
        ],
      },
    ],
    extras: extras(
      [
        ["deps", { text: "COPY requirements-dev.txt ./", w: 1, context: true }],
        ["runtime", { text: "RUN python -m pytest -q tests/unit", w: 180 }],
        ["runtime", { text: "RUN useradd --uid 1000 worker", w: 8 }],
      ],
      (n) => ["runtime", { text: `RUN python -m compileall -q plugins/${pkg(n)}`, w: 15 }],
    ),
    findings: [
      { code: "DL3008", match: "apt-get install" },
      { code: "DL3009", match: "apt-get install" },
      { code: "DL3013", match: "pip install --upgrade" },
      { code: "DL3042", match: "pip install" },
      { code: "DL3059", match: "RUN pip install --upgrade" },
    ],
  },
];
