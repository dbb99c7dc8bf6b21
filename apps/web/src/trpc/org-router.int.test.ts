import { createTestDatabase } from "@slipway/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReadModelFixture } from "../testing/fixtures";
import { handleTrpcRequest } from "./handler.server";
import { createCaller } from "./router";

let testDb: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  await seedReadModelFixture(testDb.db);
});

afterAll(async () => {
  await testDb?.drop();
});

describe("org.overview", () => {
  it("returns the org overview through a server-side caller", async () => {
    const caller = createCaller({ db: testDb.db, requestId: "test-1" });
    const overview = await caller.org.overview({ orgSlug: "acme" });
    expect(overview.org).toEqual({ slug: "acme", name: "Acme Robotics" });
    expect(overview.projects.map((p) => p.slug)).toEqual(["api", "web"]);
    expect(overview.daily).toHaveLength(30);
  });

  it("is NOT_FOUND for an unknown org", async () => {
    const caller = createCaller({ db: testDb.db, requestId: "test-2" });
    const error = await caller.org.overview({ orgSlug: "nope" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("NOT_FOUND");
  });

  it("is BAD_REQUEST for something that cannot be a slug", async () => {
    const caller = createCaller({ db: testDb.db, requestId: "test-3" });
    const error = await caller.org.overview({ orgSlug: "../etc" }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("answers over HTTP at /api/trpc with the request id", async () => {
    const input = encodeURIComponent(JSON.stringify({ orgSlug: "globex" }));
    const response = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/org.overview?input=${input}`, {
        headers: { "x-request-id": "req-42" },
      }),
      testDb.db,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-42");
    const body = (await response.json()) as {
      result: { data: { org: { slug: string }; totals: { builds: number } } };
    };
    expect(body.result.data.org.slug).toBe("globex");
    expect(body.result.data.totals.builds).toBeGreaterThanOrEqual(0);
  });

  it("answers 404 over HTTP for an unknown org, with the request id in the error", async () => {
    const input = encodeURIComponent(JSON.stringify({ orgSlug: "nope" }));
    const response = await handleTrpcRequest(
      new Request(`http://localhost/api/trpc/org.overview?input=${input}`),
      testDb.db,
    );
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { data: { requestId: string } } };
    expect(body.error.data.requestId).toBe(response.headers.get("x-request-id"));
  });
});
