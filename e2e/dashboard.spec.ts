import { expect, test } from "@playwright/test";
import { DEMO_OWNER, signIn, snap, watchErrors } from "./helpers";

test("the dashboard shows the seeded org, its projects and a project's builds", async ({
  page,
}) => {
  const errors = watchErrors(page);

  // Signed out, / asks to sign in; signing in lands on the user's first org.
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
  await signIn(page, DEMO_OWNER);
  await expect(page).toHaveURL(/\/orgs\/acme$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.locator(".org-switcher__name")).toHaveText("Acme Robotics");

  const cards = page.getByTestId("project-card");
  await expect(cards).toHaveCount(3);
  const hrefs = await cards.evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  expect(hrefs.sort()).toEqual([
    "/orgs/acme/projects/api",
    "/orgs/acme/projects/web",
    "/orgs/acme/projects/worker",
  ]);
  // The chart is drawn in the browser after hydration, from ~300 seeded builds.
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  await snap(page, "org-overview");

  await page.locator('a[href="/orgs/acme/projects/api"]').first().click();
  await expect(page).toHaveURL(/\/orgs\/acme\/projects\/api$/);
  const rows = page.getByTestId("builds-table").locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(0);
  expect(await rows.count()).toBeLessThanOrEqual(25);
  await expect(rows.first().locator(".badge")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await snap(page, "project-builds");

  // Server-side pagination: page 2 is another set of builds.
  const firstOnPage1 = await rows.first().locator("td").first().textContent();
  const next = page.getByRole("link", { name: "Next" });
  if (await next.count()) {
    await next.click();
    await expect(page).toHaveURL(/\?page=2$/);
    await expect(rows.first().locator("td").first()).not.toHaveText(firstOnPage1 ?? "");
  }

  expect(errors).toEqual([]);
});

test("unknown orgs, projects and pages get helpful 404 and 400 pages", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  const unknownOrg = await page.goto("/orgs/no-such-org");
  expect(unknownOrg?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Organization not found" })).toBeVisible();
  await snap(page, "not-found-org");

  const unknownProject = await page.goto("/orgs/acme/projects/no-such-project");
  expect(unknownProject?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Project not found" })).toBeVisible();
  // The org's navigation stays, so the way back is one click.
  await expect(page.getByRole("link", { name: "Back to Acme Robotics" })).toBeVisible();
  await snap(page, "not-found-project");

  expect((await page.goto("/orgs/acme/projects/api?page=abc"))?.status()).toBe(400);
  expect((await page.goto("/orgs/acme/projects/api?page=99999"))?.status()).toBe(404);
  expect((await page.goto("/orgs/ACME%20'--"))?.status()).toBe(404);
  expect((await page.goto("/no/such/page"))?.status()).toBe(404);
});

test("GET /healthz and the tRPC endpoint answer JSON", async ({ page }) => {
  const request = page.request;
  const health = await request.get("/healthz");
  expect(health.status()).toBe(200);
  const body = (await health.json()) as {
    status: string;
    checks: Record<string, { status: string }>;
  };
  expect(body.checks.database?.status).toBe("ok");
  expect(body.checks.redis?.status).toBe("ok");
  expect(Object.keys(body.checks).sort()).toEqual(["builders", "clickhouse", "database", "redis"]);

  // tRPC needs a session: 401 before signing in, the overview after.
  const input = encodeURIComponent(JSON.stringify({ orgSlug: "acme" }));
  expect((await request.get(`/api/trpc/org.overview?input=${input}`)).status()).toBe(401);
  await signIn(page, DEMO_OWNER);
  const overview = await request.get(`/api/trpc/org.overview?input=${input}`);
  expect(overview.status()).toBe(200);
  const data = (await overview.json()) as { result: { data: { projects: { slug: string }[] } } };
  expect(data.result.data.projects.map((p) => p.slug).sort()).toEqual(["api", "web", "worker"]);
});
