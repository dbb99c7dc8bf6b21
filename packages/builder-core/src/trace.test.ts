import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import {
  decodeStatusResponse,
  decodeTraceAux,
  locateStep,
  parseDockerfileStages,
  parseStepName,
  type StepEvent,
  StepTracker,
} from "./trace.ts";

// StatusResponse messages encoded here by hand, with the field numbers of BuildKit's control.proto.
function timestamp(date: Date): Uint8Array {
  const ms = date.getTime();
  return new BinaryWriter()
    .tag(1, WireType.Varint)
    .int64(Math.floor(ms / 1000))
    .tag(2, WireType.Varint)
    .int32((ms % 1000) * 1e6)
    .finish();
}

interface VertexFields {
  digest: string;
  inputs?: string[];
  name?: string;
  cached?: boolean;
  started?: Date;
  completed?: Date;
  error?: string;
}

function vertex(fields: VertexFields): Uint8Array {
  const writer = new BinaryWriter().tag(1, WireType.LengthDelimited).string(fields.digest);
  for (const input of fields.inputs ?? []) writer.tag(2, WireType.LengthDelimited).string(input);
  if (fields.name) writer.tag(3, WireType.LengthDelimited).string(fields.name);
  if (fields.cached) writer.tag(4, WireType.Varint).bool(true);
  if (fields.started) writer.tag(5, WireType.LengthDelimited).bytes(timestamp(fields.started));
  if (fields.completed) writer.tag(6, WireType.LengthDelimited).bytes(timestamp(fields.completed));
  if (fields.error) writer.tag(7, WireType.LengthDelimited).string(fields.error);
  // a field this decoder does not know (a newer engine's progress group) must be skipped
  writer.tag(8, WireType.LengthDelimited).bytes(new Uint8Array([10, 1, 65]));
  return writer.finish();
}

function log(digest: string, stream: number, msg: string, at: Date): Uint8Array {
  return new BinaryWriter()
    .tag(1, WireType.LengthDelimited)
    .string(digest)
    .tag(2, WireType.LengthDelimited)
    .bytes(timestamp(at))
    .tag(3, WireType.Varint)
    .int64(stream)
    .tag(4, WireType.LengthDelimited)
    .bytes(new TextEncoder().encode(msg))
    .finish();
}

function status(digest: string, id: string, current: number, total: number): Uint8Array {
  return new BinaryWriter()
    .tag(1, WireType.LengthDelimited)
    .string(id)
    .tag(2, WireType.LengthDelimited)
    .string(digest)
    .tag(4, WireType.Varint)
    .int64(current)
    .tag(5, WireType.Varint)
    .int64(total)
    .finish();
}

function response(parts: {
  vertexes?: Uint8Array[];
  statuses?: Uint8Array[];
  logs?: Uint8Array[];
  warnings?: Uint8Array[];
}): Uint8Array {
  const writer = new BinaryWriter();
  for (const v of parts.vertexes ?? []) writer.tag(1, WireType.LengthDelimited).bytes(v);
  for (const s of parts.statuses ?? []) writer.tag(2, WireType.LengthDelimited).bytes(s);
  for (const l of parts.logs ?? []) writer.tag(3, WireType.LengthDelimited).bytes(l);
  for (const w of parts.warnings ?? []) writer.tag(4, WireType.LengthDelimited).bytes(w);
  return writer.finish();
}

const t0 = new Date("2026-01-02T03:04:05.250Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

const DOCKERFILE = `# syntax comment
FROM slipway/busybox:1 AS build
ENV A=1
WORKDIR /src
COPY . .
RUN echo one \\
  && echo two

FROM slipway/busybox:1
RUN echo other
COPY --from=build /src /out
`;

describe("decodeStatusResponse", () => {
  it("decodes vertexes, statuses, logs and warnings", () => {
    const warning = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string("sha256:b")
      .tag(2, WireType.Varint)
      .int64(1)
      .tag(3, WireType.LengthDelimited)
      .bytes(new TextEncoder().encode("deprecated"))
      .tag(4, WireType.LengthDelimited)
      .bytes(new TextEncoder().encode("use X"))
      .finish();
    const bytes = response({
      vertexes: [
        vertex({
          digest: "sha256:a",
          inputs: ["sha256:x", "sha256:y"],
          name: "[build 2/4] WORKDIR /src",
          cached: true,
          started: at(0),
          completed: at(1500),
        }),
      ],
      statuses: [status("sha256:a", "transferring", 5, 10)],
      logs: [log("sha256:a", 2, "oops\n", at(10))],
      warnings: [warning],
    });
    const update = decodeStatusResponse(bytes);
    expect(update.vertexes).toEqual([
      {
        digest: "sha256:a",
        inputs: ["sha256:x", "sha256:y"],
        name: "[build 2/4] WORKDIR /src",
        cached: true,
        started: at(0),
        completed: at(1500),
      },
    ]);
    expect(update.statuses[0]).toMatchObject({ id: "transferring", current: 5, total: 10 });
    expect(update.logs[0]?.stream).toBe(2);
    expect(new TextDecoder().decode(update.logs[0]?.msg)).toBe("oops\n");
    expect(update.logs[0]?.timestamp).toEqual(at(10));
    expect(update.warnings[0]).toMatchObject({ vertex: "sha256:b", short: "deprecated" });
    expect(decodeTraceAux(Buffer.from(bytes).toString("base64"))).toEqual(update);
  });

  it("throws on truncated bytes instead of inventing data", () => {
    const bytes = response({ vertexes: [vertex({ digest: "sha256:a", name: "x" })] });
    expect(() => decodeStatusResponse(bytes.slice(0, bytes.length - 3))).toThrow();
  });
});

describe("step names and Dockerfile lines", () => {
  it("parses stage, step and instruction", () => {
    expect(parseStepName("[build 3/5] RUN make")).toEqual({
      stage: "build",
      stepIndex: 3,
      stepTotal: 5,
      instruction: "RUN make",
    });
    expect(parseStepName("[ 2/12] COPY . .")).toEqual({
      stepIndex: 2,
      stepTotal: 12,
      instruction: "COPY . .",
    });
    expect(parseStepName("[internal] load .dockerignore")).toEqual({
      stage: "internal",
      instruction: "load .dockerignore",
    });
    expect(parseStepName("exporting to image")).toEqual({});
  });

  it("finds stages and the line of each numbered step", () => {
    const stages = parseDockerfileStages(DOCKERFILE);
    expect(stages.map((stage) => stage.name)).toEqual(["build", "stage-1"]);
    expect(stages[0]?.instructions.map((i) => [i.keyword, i.line])).toEqual([
      ["FROM", 2],
      ["ENV", 3],
      ["WORKDIR", 4],
      ["COPY", 5],
      ["RUN", 6],
    ]);
    expect(stages[0]?.instructions[4]?.text).toBe("RUN echo one && echo two");
    const locate = (name: string) => locateStep(stages, parseStepName(name));
    expect(locate("[build 4/4] RUN echo one && echo two")).toBe(6);
    expect(locate("[build 2/4] WORKDIR /src")).toBe(4);
    expect(locate("[stage-1 3/3] COPY --from=build /src /out")).toBe(11);
    expect(locate("[internal] load build definition from Dockerfile")).toBeUndefined();
    expect(locate("[other 1/1] FROM x")).toBeUndefined();
  });
});

describe("StepTracker", () => {
  it("merges a vertex sent several times, keeps logs and emits events", () => {
    const events: StepEvent[] = [];
    const tracker = new StepTracker({ dockerfile: DOCKERFILE, onEvent: (e) => events.push(e) });
    const name = "[build 4/4] RUN echo one && echo two";
    const feed = (bytes: Uint8Array) => tracker.apply(decodeStatusResponse(bytes));
    feed(response({ vertexes: [vertex({ digest: "sha256:run", inputs: ["sha256:copy"], name })] }));
    feed(response({ vertexes: [vertex({ digest: "sha256:run", name, started: at(100) })] }));
    feed(response({ logs: [log("sha256:run", 1, "one\n", at(150))] }));
    feed(response({ logs: [log("sha256:run", 2, "two\n", at(160))] }));
    feed(
      response({
        vertexes: [vertex({ digest: "sha256:run", name, started: at(100), completed: at(1100) })],
      }),
    );
    feed(
      response({
        vertexes: [
          vertex({
            digest: "sha256:from",
            name: "[build 1/4] FROM docker.io/slipway/busybox:1",
            cached: true,
            started: at(0),
            completed: at(0),
          }),
        ],
      }),
    );

    expect(tracker.steps).toHaveLength(2);
    const run = tracker.steps[0];
    expect(run).toMatchObject({
      digest: "sha256:run",
      stage: "build",
      stepIndex: 4,
      stepTotal: 4,
      dockerfileLine: 6,
      inputs: ["sha256:copy"],
      cached: false,
      startedAt: at(100).toISOString(),
      completedAt: at(1100).toISOString(),
      durationMs: 1000,
    });
    expect(run?.logs).toEqual([
      { at: at(150).toISOString(), stream: "stdout", text: "one\n" },
      { at: at(160).toISOString(), stream: "stderr", text: "two\n" },
    ]);
    expect(tracker.steps[1]).toMatchObject({ cached: true, dockerfileLine: 2 });
    expect(tracker.unfinished).toEqual([]);
    expect(events.filter((e) => e.type === "log")).toHaveLength(2);
    expect(events.filter((e) => e.type === "step")).toHaveLength(4);
  });

  it("keeps the head and the tail of a long output, saying how much was left out", () => {
    const tracker = new StepTracker({ maxLogBytesPerStep: 10 });
    const chunks = ["head1", "mid-1", "mid-2", "tail!"];
    tracker.apply(
      decodeStatusResponse(
        response({
          vertexes: [vertex({ digest: "sha256:a", name: "[1/1] RUN make", started: at(0) })],
          logs: chunks.map((text, i) => log("sha256:a", i === 3 ? 2 : 1, text, at(i + 1))),
        }),
      ),
    );
    const [step] = tracker.steps;
    expect(step?.logs).toEqual([
      { at: at(1).toISOString(), stream: "stdout", text: "head1" },
      { stream: "other", text: "[… 10 bytes of output left out …]\n" },
      { at: at(4).toISOString(), stream: "stderr", text: "tail!" },
    ]);
    expect(step?.logsTruncated).toBe(true);
    // under the budget: everything, as it came
    const quiet = new StepTracker({ maxLogBytesPerStep: 100 });
    quiet.apply(
      decodeStatusResponse(
        response({
          vertexes: [vertex({ digest: "sha256:b", name: "[1/1] RUN true" })],
          logs: chunks.map((text, i) => log("sha256:b", 1, text, at(i))),
        }),
      ),
    );
    expect(quiet.steps[0]?.logs.map((l) => l.text)).toEqual(chunks);
    expect(quiet.steps[0]?.logsTruncated).toBeUndefined();
  });

  it("records errors and caps the logs it keeps", () => {
    const tracker = new StepTracker({ maxLogBytesPerStep: 8 });
    const name = "[2/2] RUN false";
    tracker.apply(
      decodeStatusResponse(
        response({
          vertexes: [vertex({ digest: "sha256:f", name, started: at(0) })],
          logs: [log("sha256:f", 1, "12345", at(1)), log("sha256:f", 1, "67890", at(2))],
        }),
      ),
    );
    expect(tracker.unfinished.map((step) => step.digest)).toEqual(["sha256:f"]);
    tracker.apply(
      decodeStatusResponse(
        response({
          vertexes: [vertex({ digest: "sha256:f", name, completed: at(5), error: "exit code: 1" })],
        }),
      ),
    );
    const step = tracker.steps[0];
    expect(step?.error).toBe("exit code: 1");
    // 8 bytes: the first 4 ("12345" does not fit them) and the last 4 (the end of "67890")
    expect(step?.logs.map((entry) => entry.text)).toEqual([
      "[… 6 bytes of output left out …]\n",
      "7890",
    ]);
    expect(step?.logsTruncated).toBe(true);
    expect(tracker.dockerfileSteps).toHaveLength(1);
  });
});
