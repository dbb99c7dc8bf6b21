import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

// Screenshots of each page are kept as artifacts on every run, not only on failure.
const screenshots = join(import.meta.dirname, "..", "test-results", "screenshots");
mkdirSync(screenshots, { recursive: true });

export async function snap(page: Page, name: string) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/**
 * Collects console errors and uncaught exceptions of a page. Chromium logs every non-2xx answer
 * as "Failed to load resource"; a test that provokes one on purpose (a refused form answers 400,
 * a wrong password 401, a foreign org 404) lists those statuses in `expectedStatuses`.
 */
export function watchErrors(page: Page, { expectedStatuses = [] as number[] } = {}): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(
      message.text(),
    );
    if (status && expectedStatuses.includes(Number(status[1]))) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

export const DEMO_OWNER = { email: "owner@demo.slipway.dev", password: "slipway-demo-owner" };

/** Signs in through the form (from wherever the page is) and waits to leave /signin. */
export async function signIn(page: Page, { email, password }: { email: string; password: string }) {
  if (!page.url().includes("/signin")) await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/signin/);
}

/**
 * Collects the page's failed requests: those that got no answer, and answers of 400 or more
 * (other than `expectedStatuses`). A request the page itself abandoned (a revalidation superseded
 * by a navigation: net::ERR_ABORTED) is not a failure.
 */
export function watchFailedRequests(
  page: Page,
  { expectedStatuses = [] as number[] } = {},
): string[] {
  const failures: string[] = [];
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "failed";
    if (reason === "net::ERR_ABORTED") return;
    failures.push(`${request.method()} ${request.url()}: ${reason}`);
  });
  page.on("response", (response) => {
    const status = response.status();
    if (status < 400 || expectedStatuses.includes(status)) return;
    failures.push(`${response.request().method()} ${response.url()}: ${status}`);
  });
  return failures;
}
