import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { DEMO_OWNER, signIn, watchErrors } from "./helpers";

const screens = join(import.meta.dirname, "..", "test-results", "screens");

async function screen(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: join(screens, `${name}.png`), fullPage: true });
}

/**
 * No serious or critical axe violations in the page's content. The sidebar belongs to the shared
 * shell (its section headings' contrast is reported to the shell's owners), not to these pages.
 */
async function expectAccessible(page: Page) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(serious).toEqual([]);
}

test("create a project, change its settings (with and without JavaScript), delete it", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // Refused forms answer 400/409 on purpose.
  const errors = watchErrors(page, { expectedStatuses: [400, 409] });
  const name = `E2E ${Date.now().toString(36)}`;
  const slug = name.toLowerCase().replace(/\s+/g, "-");

  await signIn(page, DEMO_OWNER);
  await page.getByRole("link", { name: "New project" }).first().click();
  await expect(page).toHaveURL(/\/orgs\/acme\/projects\/new$/);
  await expect(page.getByRole("heading", { level: 1, name: "New project" })).toBeVisible();

  // A taken address is refused next to its field.
  await page.getByLabel("Name", { exact: true }).fill("API");
  await expect(page.getByTestId("slug-preview")).toHaveText("api");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByTestId("name-error")).toContainText("already has a project at “api”");
  await expectAccessible(page);
  await screen(page, "projects-new");

  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/acme/projects/${slug}/settings\\?created=1$`));
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  // Bad values: errors next to the fields, from the server.
  await page.getByLabel("Builds per builder").fill("0");
  await page.getByLabel("Cache size limit").fill("99999");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByTestId("settings-buildsPerBuilder-error")).toHaveText("Use at least 1.");
  await expect(page.getByTestId("settings-cacheSizeLimitGiB-error")).toHaveText(
    "Use at most 2048.",
  );
  await screen(page, "project-settings-errors");

  // Turn autoscaling on with 2 builds per builder and up to 3 builders.
  await page.getByLabel("Autoscaling").check();
  await page.getByLabel("Builds per builder").fill("2");
  await page.getByLabel("Max builders").fill("3");
  await page.getByLabel("Cache size limit").fill("20");
  await page.getByLabel("linux/arm64").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Autoscaling")).toBeChecked();
  await expect(page.getByLabel("Max builders")).toHaveValue("3");
  await expect(page.getByLabel("linux/arm64")).toBeChecked();
  await expect(page.getByText("never written back")).toBeVisible();
  await expectAccessible(page);
  await screen(page, "project-settings");

  // Without JavaScript the same form posts and saves.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await signIn(plain, DEMO_OWNER);
  await plain.goto(`/orgs/acme/projects/${slug}/settings`);
  await plain.getByLabel("Fail on warning").check();
  await plain.getByLabel("Max builders").fill("2.5");
  await plain.getByRole("button", { name: "Save settings" }).click();
  await expect(plain.getByTestId("settings-maxBuilders-error")).toContainText("whole number");
  await plain.getByLabel("Max builders").fill("4");
  await plain.getByRole("button", { name: "Save settings" }).click();
  await expect(plain.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await noJs.close();
  await page.reload();
  await expect(page.getByLabel("Fail on warning")).toBeChecked();
  await expect(page.getByLabel("Max builders")).toHaveValue("4");

  // Rename, then delete with the typed name.
  await page.getByLabel("Project name").fill(`${name} renamed`);
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Renamed" })).toBeVisible();
  await page.getByLabel(/^Type .* to confirm$/).fill("wrong");
  await page.getByRole("button", { name: "Delete project" }).click();
  await expect(page.getByTestId("confirm-error")).toContainText("exactly");
  await page.getByLabel(/^Type .* to confirm$/).fill(`${name} renamed`);
  await page.getByRole("button", { name: "Delete project" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/acme\\?deleted=${slug}$`));
  await expect(page.locator(`a[href="/orgs/acme/projects/${slug}"]`)).toHaveCount(0);

  expect(errors).toEqual([]);
});

test("the cache page shows size against the limit, builders, and resets with confirmation", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page, { expectedStatuses: [400, 409] });
  await signIn(page, DEMO_OWNER);
  await page.goto("/orgs/acme/projects/api/cache");
  await expect(page.getByRole("heading", { level: 1, name: "Cache" })).toBeVisible();
  // Seeded snapshots draw the chart, or ingest is down and the page says so.
  await expect(
    page.locator(".recharts-area").first().or(page.getByTestId("insights-unavailable").first()),
  ).toBeVisible();
  await expect(
    // the limit line's label (a horizontal <line> has an empty box, so Playwright calls it hidden)
    page
      .locator(".recharts-wrapper svg text")
      .filter({ hasText: /^Limit \d/ })
      .or(page.getByTestId("insights-unavailable"))
      .first(),
  ).toBeVisible();
  await expect(
    page.getByTestId("records-table").or(page.getByTestId("no-builder-running")),
  ).toBeVisible();
  await expectAccessible(page);
  await screen(page, "cache");

  await page.getByRole("button", { name: "Reset cache" }).click();
  await expect(page.getByTestId("confirm-error")).toContainText("Tick the box");
  await page.getByLabel("I understand the next build starts cold").check();
  await page.getByRole("button", { name: "Reset cache" }).click();
  // No build ran on this server: nothing live to reset, said plainly (409); with a builder, reset.
  await expect(
    page
      .getByTestId("form-error")
      .filter({ hasText: "No builder of API is running" })
      .or(page.getByRole("status").filter({ hasText: "reset" })),
  ).toBeVisible();
  await screen(page, "cache-reset");

  await page.getByRole("link", { name: "linux/arm64" }).click();
  await expect(page).toHaveURL(/platform=linux%2Farm64|platform=linux\/arm64/);
  expect(errors).toEqual([]);
});

test("runners: minutes and queue time by label, jobs paged; webhook setup with a one-time secret", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const errors = watchErrors(page);
  await signIn(page, DEMO_OWNER);
  await page.getByRole("link", { name: "Runners" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/runners$/);
  await expect(
    page.getByRole("heading", { level: 1, name: "GitHub Actions runners" }),
  ).toBeVisible();
  const unavailable = page.getByTestId("insights-unavailable");
  await expect(
    page.getByTestId("jobs-table").or(unavailable).or(page.getByTestId("no-runner-jobs")),
  ).toBeVisible();
  if (await page.getByTestId("jobs-table").isVisible()) {
    await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
    const rows = page.getByTestId("jobs-table").locator("tbody tr");
    expect(await rows.count()).toBeLessThanOrEqual(25);
    const first = await rows.first().textContent();
    const next = page.getByRole("link", { name: "Next" });
    if (await next.count()) {
      await next.click();
      await expect(page).toHaveURL(/page=2/);
      await expect(rows.first()).not.toHaveText(first ?? "");
      await page.getByRole("link", { name: "Previous" }).click();
    }
  }
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expectAccessible(page);
  await screen(page, "runners");

  await page.getByRole("link", { name: "Webhook setup" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "GitHub webhook" })).toBeVisible();
  await expect(page.getByTestId("webhook-url")).toHaveText(/\/v1\/github\/webhook\/acme$/);
  await page.getByRole("button", { name: /Generate secret|Rotate secret/ }).click();
  const secret = page.getByTestId("new-secret");
  await expect(secret).toHaveText(/^whsec_[0-9a-f]{64}$/);
  await expect(page.getByTestId("secret-status")).toContainText("A secret is set");
  await expectAccessible(page);
  await screen(page, "webhook");
  // Shown once: a reload does not show it again.
  const value = await secret.textContent();
  await page.reload();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(value ?? "never");
  expect(errors).toEqual([]);
});
