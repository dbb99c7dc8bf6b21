import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { DEMO_OWNER, signIn, watchErrors } from "./helpers";

// The "debug a slow build" path on the seeded demo org (acme): builds list and its filters, a
// build's waterfall, step detail, why-slow, lint, context and resources tabs, step history,
// compare, the OTLP export and the project insights. Every page is screenshotted and axe-checked.

const base = "/orgs/acme/projects/api";

async function screen(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

async function axe(page: Page) {
  // The sidebar is the shared app shell (its section labels are app.css's subtle grey, reported
  // to the lead); everything this feature renders is checked.
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

test.describe("debugging a slow build", () => {
  // Many pages, each axe-checked: more than the default 30 s.
  test.describe.configure({ timeout: 180_000 });
  test.beforeEach(async ({ page }) => {
    await signIn(page, DEMO_OWNER);
  });

  test("builds list filters, build page, step history, compare, export, insights", async ({
    page,
  }) => {
    const errors = watchErrors(page);

    // Builds list, filtered to failed builds on arm64.
    await page.goto(base);
    await expect(page.getByTestId("builds-table")).toBeVisible();
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=failed/);
    await expect(page.getByText(/builds? match/)).toBeVisible();
    const rows = page.getByTestId("builds-table").locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.locator("td:nth-child(2)").allInnerTexts()) {
      expect(text).toContain("Failed");
    }
    await screen(page, "builds-list");
    await axe(page);

    // A newer successful build: the waterfall.
    await page.goto(`${base}?status=succeeded`);
    const link = page.getByTestId("builds-table").locator("tbody tr").nth(1).getByRole("link");
    const number = Number((await link.textContent())?.replace("#", ""));
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/builds/${number}$`));
    await expect(page.getByRole("heading", { name: new RegExp(`Build #${number}`) })).toBeVisible();
    const waterfall = page.getByTestId("waterfall");
    await expect(waterfall.getByTestId("waterfall-row").first()).toBeVisible();
    // Parallel stages show as lanes; the critical path and cached steps are marked.
    expect(await waterfall.locator("section").count()).toBeGreaterThan(2);
    await expect(waterfall.locator("[data-critical]").first()).toBeVisible();
    await expect(page.getByTestId("why-slow")).toContainText("Why was this slow?");

    // Step detail: a step that ran.
    await waterfall.locator("[data-testid=waterfall-row]:not([data-cached])").last().click();
    const detail = page.getByTestId("step-detail");
    await expect(detail).toContainText("p50 (30 days)");
    await expect(detail).toContainText("Dockerfile line");
    // the step's logs: what it printed (a step that ran a command), or why there is nothing
    await expect(detail.getByRole("heading", { name: "Logs" })).toBeVisible();
    await expect(
      detail.getByTestId("step-logs").or(detail.getByText(/printed nothing/)),
    ).toBeVisible();
    await screen(page, "build-steps");
    await axe(page);

    // Lint tab: findings with the rule's explanation.
    await page.getByRole("link", { name: /^Lint/ }).click();
    await expect(page).toHaveURL(/tab=lint/);
    const lint = page.getByTestId("lint");
    await expect(lint).toBeVisible();
    // The Dockerfile the demo build ran, every finding's line marked on it.
    const dockerfile = lint.getByTestId("dockerfile");
    await expect(dockerfile).toContainText("FROM golang:1.23-alpine AS build");
    const findingLines = new Set(
      (await lint.getByTestId("lint-finding").allInnerTexts()).map(
        (text) => /Dockerfile:(\d+)/.exec(text)?.[1],
      ),
    );
    await expect(dockerfile.getByTestId("dockerfile-marked-line")).toHaveCount(findingLines.size);
    await screen(page, "build-lint");
    await axe(page);
    // The project's first build still had every finding the demo project later fixed: the
    // unpinned `apk add` (DL3018) is marked on its line, its rule inline.
    await page.goto(`${base}/builds/1?tab=lint`);
    const firstMarked = page.getByTestId("dockerfile-marked-line").filter({ hasText: "apk add" });
    await expect(firstMarked.first()).toBeVisible();
    await expect(
      page.getByTestId("dockerfile").getByRole("link", { name: "DL3018" }).first(),
    ).toBeVisible();
    await screen(page, "build-lint-marked");
    await page.goBack();

    // Context and resources tabs (seeded columns).
    await page.getByRole("link", { name: "Context" }).click();
    await expect(page.getByTestId("context")).toContainText("Context sent");
    await screen(page, "build-context");
    await page.getByRole("link", { name: /CPU & memory/ }).click();
    await expect(page.getByTestId("resources")).toContainText("Builder CPU and memory");
    await expect(page.getByLabel("Builder memory over the build")).toBeVisible();
    await screen(page, "build-resources");
    await axe(page);

    // OTLP export: a JSON trace Jaeger can open.
    const res = await page.request.get(`${base}/builds/${number}/trace.json`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toContain("attachment");
    const trace = await res.json();
    const spans = trace.resourceSpans[0].scopeSpans[0].spans as {
      traceId: string;
      spanId: string;
      parentSpanId?: string;
      startTimeUnixNano: string;
    }[];
    expect(spans.length).toBeGreaterThan(5);
    expect(spans[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans.filter((s) => s.parentSpanId === undefined)).toHaveLength(1);
    expect(typeof spans[1]?.startTimeUnixNano).toBe("string");

    // Compare with the previous build.
    await page.goto(`${base}/builds/${number}`);
    await page.getByRole("link", { name: /^Compare with #/ }).click();
    await expect(page).toHaveURL(/builds\/compare\?a=\d+&b=\d+/);
    await expect(page.getByTestId("compare")).toBeVisible();
    await screen(page, "build-compare");
    await axe(page);

    // Insights, then a step's history from the slowest steps table.
    await page.goto(`${base}/insights`);
    await expect(page.getByRole("heading", { name: "Insights", level: 1 })).toBeVisible();
    await expect(page.getByLabel("Build duration p50 and p95 per day")).toBeVisible();
    const slowest = page.getByTestId("slowest-steps").locator("tbody tr");
    await expect(slowest.first()).toBeVisible();
    await screen(page, "insights");
    await axe(page);
    await slowest.first().getByRole("link").click();
    await expect(page.getByTestId("step-history")).toBeVisible();
    await expect(page.getByLabel("Step duration per build")).toBeVisible();
    await screen(page, "step-history");
    await axe(page);

    expect(errors).toEqual([]);
  });

  test("bad build numbers and filters answer 4xx; another org's build is 404", async ({ page }) => {
    watchErrors(page, { expectedStatuses: [400, 404] });
    expect((await page.goto(`${base}/builds/abc`))?.status()).toBe(400);
    await expect(page.getByText("Invalid build number")).toBeVisible();
    expect((await page.goto(`${base}/builds/999999`))?.status()).toBe(404);
    expect((await page.goto(`${base}?status=exploded`))?.status()).toBe(400);
    await expect(page.getByText(/status must be one of/)).toBeVisible();
    expect((await page.goto(`${base}/builds/compare?a=1`))?.status()).toBe(400);
    expect((await page.request.get(`${base}/builds/0/trace.json`)).status()).toBe(400);
    expect((await page.goto(`${base}/steps`))?.status()).toBe(400);
    expect((await page.goto("/orgs/not-my-org/projects/api/builds/1"))?.status()).toBe(404);
  });
});

test.describe("the build page without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a step opens through the URL, its detail rendered by the server", async ({ page }) => {
    await signIn(page, DEMO_OWNER);
    await page.goto(`${base}?status=succeeded`);
    await page.getByTestId("builds-table").locator("tbody tr").first().getByRole("link").click();
    await expect(page).toHaveURL(/\/builds\/\d+$/);
    const row = page.getByTestId("waterfall").locator("[data-testid=waterfall-row]").last();
    const label = ((await row.getAttribute("title")) ?? "").split(" · ")[0] ?? "";
    expect(label).not.toBe("");
    // each row is a button of a GET form: `?step=<digest>`, answered with that step open
    await row.click();
    await expect(page).toHaveURL(/\?step=/);
    const detail = page.getByTestId("step-detail");
    await expect(detail.locator("pre").first()).toHaveText(label);
    await expect(detail).toContainText("p50 (30 days)");
    await expect(detail).toContainText("Started");
    await expect(detail).not.toContainText("loading");
    await expect(row).toHaveAttribute("aria-pressed", "true");
  });
});
