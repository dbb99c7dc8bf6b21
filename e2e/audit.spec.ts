import { expect, test } from "@playwright/test";
import { DEMO_OWNER, signIn, watchErrors } from "./helpers";

// The audit page as the demo owner: events listed newest first, filter by action, expand a row,
// verify the chain, and the exports answer as downloads.
test("audit log: filter, details, verify, export", async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page, DEMO_OWNER);
  const org = new URL(page.url()).pathname.split("/")[2] ?? "";
  // make sure there is at least one event of a known action: rename the org to its own name
  await page.goto(`/orgs/${org}/audit`);
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  // the plan's retention bounds what is shown, and the page says how far back
  await expect(page.getByTestId("audit-retention")).toContainText(/keeps \d+ days/);

  await page.getByLabel("Action").selectOption("auth.signin.succeeded");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=auth\.signin\.succeeded/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toContainText("auth.signin.succeeded");
  await rows.first().getByRole("button", { name: "Details" }).click();
  await expect(page.getByTestId("audit-details")).toContainText("Request id");

  await page.getByRole("button", { name: "Verify chain" }).click();
  await expect(page.getByTestId("verify-result")).toContainText("Chain intact");
  await page.screenshot({ path: "test-results/screens/audit.png", fullPage: true });

  const csv = await page.request.get(
    `/orgs/${org}/audit/export?format=csv&action=auth.signin.succeeded`,
  );
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toContain("occurred_at,seq,id");
  const jsonl = await page.request.get(`/orgs/${org}/audit/export?format=jsonl`);
  expect(jsonl.status()).toBe(200);
  const first = JSON.parse((await jsonl.text()).split("\n")[0] ?? "{}") as { action?: string };
  expect(typeof first.action).toBe("string");
  expect(errors).toEqual([]);
});
