import { expect, type Page, test } from "@playwright/test";
import { DEMO_OWNER, signIn, watchErrors } from "./helpers";

const MEMBER = { email: "member@demo.slipway.dev", password: "slipway-demo-member" };

async function screen(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

test.describe.configure({ mode: "serial" });

test("the owner sees plan, usage, forecast and invoices; an invoice prints and downloads as CSV", async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, DEMO_OWNER);
  await page.getByRole("link", { name: "Billing" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/billing$/);
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  await expect(page.getByTestId("current-plan")).toHaveText(/Team · \$199\.00\/mo/);
  await expect(page.getByTestId("forecast")).toHaveText(/^\$[0-9,]+\.[0-9]{2}$/);
  await expect(page.getByTestId("usage-table")).toContainText("Build minutes");
  await expect(page.getByText("Upgrades (a pricier plan) take effect immediately")).toBeVisible();
  await expect(page.locator("figure.chart").first()).toBeVisible();
  await screen(page, "billing");

  const invoices = page.getByTestId("invoices");
  await expect(invoices.locator("tbody tr")).not.toHaveCount(0);
  await invoices.getByRole("link", { name: "View" }).first().click();
  await expect(page).toHaveURL(/\/orgs\/acme\/invoices\/[^/]+$/);
  await expect(page.getByRole("table", { name: "Line items" })).toContainText("Team plan, monthly");
  await expect(page.getByTestId("invoice-total")).toHaveText(/^\$[0-9,]+\.[0-9]{2}$/);
  await screen(page, "invoice");

  const csvHref = await page.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref ?? "");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe(
    "invoice,period_start,period_end,status,kind,runner_type,description,quantity,unit,unit_price_usd,amount_usd",
  );
  expect(lines.at(-1)).toMatch(/,total,.*,[0-9]+\.[0-9]{2}$/);
  expect(errors).toEqual([]);
});

test("a bad spend limit is refused next to the field; a hard limit shows the banner to every member", async ({
  page,
  browser,
}) => {
  const errors = watchErrors(page, { expectedStatuses: [400] });
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, DEMO_OWNER);
  await page.goto("/orgs/acme/billing");
  const limit = page.getByLabel("Spend limit per period (USD)");
  await limit.fill("lots");
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(page.getByTestId("spendLimit-error")).toHaveText(
    "Enter an amount in dollars, e.g. 500 or 499.99 (empty: no limit).",
  );
  await screen(page, "billing-limit-error");

  // $1 with a hard limit: the plan alone is over it.
  await limit.fill("1");
  await page.getByLabel("Hard limit: refuse new builds once the limit is reached").check();
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(
    page.getByText("Spend limit set to $1.00, builds stop when it is reached."),
  ).toBeVisible();
  await page.goto("/orgs/acme");
  const banner = page.getByTestId("spend-alert");
  await expect(banner).toContainText("Builds are paused: spend limit reached.");
  await expect(banner).toContainText("raised in Billing");
  await screen(page, "overview-spend-banner");

  // A member sees the banner too, but not the billing page.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const member = await context.newPage();
  const memberErrors = watchErrors(member, { expectedStatuses: [403] });
  await signIn(member, MEMBER);
  await member.goto("/orgs/acme");
  await expect(member.getByTestId("spend-alert")).toContainText("Ask an owner or admin");
  await expect(member.getByRole("link", { name: "Billing" })).toHaveCount(0);
  const refused = await member.goto("/orgs/acme/billing");
  expect(refused?.status()).toBe(403);
  await screen(member, "member-billing-403");
  expect(memberErrors).toEqual([]);
  await context.close();

  // Back to the demo's limit: $500, alerts only.
  await page.goto("/orgs/acme/billing");
  await page.getByLabel("Spend limit per period (USD)").fill("500");
  await page.getByLabel("Hard limit: refuse new builds once the limit is reached").uncheck();
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(page.getByText("Spend limit set to $500.00, alerts only.")).toBeVisible();
  expect(errors).toEqual([]);
});

test("a downgrade is scheduled for the next period and can be cancelled", async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, DEMO_OWNER);
  await page.goto("/orgs/acme/billing");
  await page.getByLabel("Change plan").selectOption("starter");
  await page.getByRole("button", { name: "Change plan" }).click();
  await expect(
    page.getByText(/The Starter plan starts on \d{4}-\d{2}-01 \(next period\)\./),
  ).toBeVisible();
  await expect(page.getByTestId("pending-plan")).toContainText("Starter");
  await expect(page.getByTestId("current-plan")).toHaveText(/Team/);
  await screen(page, "billing-downgrade-scheduled");
  await page.getByLabel("Change plan").selectOption("team");
  await page.getByRole("button", { name: "Change plan" }).click();
  await expect(
    page.getByText("Scheduled change cancelled: you stay on the Team plan."),
  ).toBeVisible();
  await expect(page.getByTestId("pending-plan")).toHaveCount(0);
  expect(errors).toEqual([]);
});
