import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { watchErrors, watchFailedRequests } from "./helpers";

// The product's whole user journey against the real stack `scripts/e2e` starts: a new user signs
// up, creates an org, a project and a token in the browser, runs a real build with the CLI on a
// real BuildKit builder while the builds list follows it live, reads the build's waterfall and
// lint finding, changes autoscaling, resets the cache, and signs out. Every main page on the way
// is screenshotted (test-results/screens/journey-*.png) and checked with axe.

const root = join(import.meta.dirname, "..");
const screens = join(root, "test-results", "screens");
mkdirSync(screens, { recursive: true });
const cliBin = join(root, "apps", "cli", "bin", "slipway.js");

const run = Date.now().toString(36);
const PASSWORD = "journey passphrase, long enough";

async function screen(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  // from the top: the sticky sidebar is drawn where the window was scrolled to (after a submit)
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screens, `journey-${name}.png`), fullPage: true });
}

/**
 * No serious or critical axe violations anywhere on the page (nothing excluded). A soft assertion:
 * the test fails all the same, but goes on so one run reports every page's violations.
 */
async function expectAccessible(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect.soft(serious, `axe on ${name}`).toEqual([]);
}

async function checkPage(page: Page, name: string) {
  await expectAccessible(page, name);
  await screen(page, name);
}

/** A small build context whose Dockerfile has one hadolint finding (DL3003 on line 3). */
function makeContext(): { dir: string; lintLine: number } {
  const dir = mkdtempSync(join(tmpdir(), "slipway-journey-"));
  writeFileSync(join(dir, "hello.txt"), `hello from the journey ${run}\n`);
  writeFileSync(
    join(dir, "Dockerfile"),
    [
      // a local base image every builder has (no registry here)
      "FROM slipway/busybox:1",
      "WORKDIR /app",
      `RUN cd /tmp && echo ${run} > /tmp/run.txt`,
      // longer than the idle builds list takes to look again (5 s): it sees the build running
      'RUN sleep 8 && echo slept && echo "took 8 s" >&2',
      "COPY hello.txt /app/",
      'CMD ["cat", "/app/hello.txt"]',
      "",
    ].join("\n"),
  );
  return { dir, lintLine: 3 };
}

interface CliRun {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** `slipway build` as a user runs it: the real binary, token and URL from the environment. */
function startCliBuild(dir: string, env: Record<string, string>, args: string[]): CliRun {
  const home = mkdtempSync(join(tmpdir(), "slipway-journey-home-"));
  let output = "";
  const child = spawn(process.execPath, [cliBin, "build", dir, ...args], {
    cwd: dir,
    // a fresh HOME: no config file of this machine's user is read
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exit = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      rmSync(home, { recursive: true, force: true });
      resolve(code);
    });
  });
  return { child, output: () => output, exit };
}

test("the whole journey: sign up, org, project, token, CLI build live, lint, autoscaling, cache reset, sign out", async ({
  page,
  baseURL,
}) => {
  // a cold builder (dockerd start, base image import) and a real build: minutes, not seconds
  test.setTimeout(300_000);
  const errors = watchErrors(page);
  const failed = watchFailedRequests(page);
  const email = `journey-${run}@example.test`;
  const orgName = `Journey Works ${run}`;
  const orgSlug = `journey-works-${run}`;
  const projectName = `Shipyard ${run}`;
  const projectSlug = `shipyard-${run}`;
  const projectBase = `/orgs/${orgSlug}/projects/${projectSlug}`;

  // 1. Sign up, create an org and a project.
  await page.goto("/signup");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await checkPage(page, "signup");
  await page.getByLabel("Name").fill("Ada Journey");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/orgs\/new$/);
  await checkPage(page, "org-new");
  await page.getByLabel("Name").fill(orgName);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgSlug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("no-builds-chart")).toContainText("No builds in the last 30 days");
  await checkPage(page, "org-overview-empty");

  await page.getByRole("link", { name: "New project" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgSlug}/projects/new$`));
  await page.getByLabel("Name", { exact: true }).fill(projectName);
  await expect(page.getByTestId("slug-preview")).toHaveText(projectSlug);
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(new RegExp(`${projectBase}/settings\\?created=1$`));
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  // 2. A project-scoped API token, shown once.
  await page.goto(`/orgs/${orgSlug}/tokens`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await checkPage(page, "tokens-empty");
  await page.getByLabel("Name").fill("Journey CLI");
  await page.getByLabel("Scope").selectOption(projectSlug);
  await page.getByRole("button", { name: "Create token" }).click();
  const token = ((await page.getByTestId("new-token").textContent()) ?? "").trim();
  expect(token).toMatch(/^slw_[a-z2-7]{32}$/);
  const tokenRow = page.getByTestId("tokens-table").locator("tbody tr", { hasText: "Journey CLI" });
  await expect(tokenRow).toContainText(token.slice(0, 10));
  await expect(tokenRow).toContainText(projectName);
  await checkPage(page, "tokens");

  // 3. The builds list is open (no builds yet) when the CLI starts a real build.
  await page.goto(projectBase);
  await expect(page.getByRole("heading", { level: 1, name: projectName })).toBeVisible();
  await expect(page.getByTestId("no-builds")).toContainText("No builds yet");
  await expect(page.getByTestId("no-builds")).toContainText(
    `slipway build . --lint --project ${projectSlug}`,
  );
  await checkPage(page, "builds-empty");

  const { dir, lintLine } = makeContext();
  const cli = startCliBuild(dir, { SLIPWAY_URL: baseURL ?? "", SLIPWAY_TOKEN: token }, [
    "--lint",
    "--progress",
    "plain",
    "-t",
    `journey:${run}`,
  ]);
  try {
    // The build appears in the open list by itself (no reload), queued or running first...
    const row = page.getByTestId("builds-table").locator("tbody tr").first();
    await expect(row.getByRole("link", { name: "#1" })).toBeVisible({ timeout: 30_000 });
    await expect(row.locator(".badge")).toHaveText(/Queued|Running/);
    await screen(page, "builds-live");
    // ...then succeeded, still without a reload.
    await expect(row.locator(".badge")).toHaveText("Succeeded", { timeout: 180_000 });
    const code = await cli.exit;
    expect(code, cli.output()).toBe(0);
    expect(cli.output()).toContain("DL3003");
    await checkPage(page, "builds");
  } finally {
    cli.child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }

  // 4. The build page: the waterfall of its steps, the lint finding with its Dockerfile line.
  await page.getByTestId("builds-table").getByRole("link", { name: "#1" }).click();
  await expect(page).toHaveURL(new RegExp(`${projectBase}/builds/1$`));
  await expect(page.getByRole("heading", { level: 1, name: /Build #1/ })).toContainText(
    "Succeeded",
  );
  const waterfall = page.getByTestId("waterfall");
  // step telemetry goes through ingest's queue: the page shows it once it has landed
  await expect(waterfall.getByTestId("waterfall-row").first()).toBeVisible({ timeout: 30_000 });
  // The Dockerfile's steps form their stage's lane (a single-stage Dockerfile: stage-0), apart
  // from BuildKit's internal vertices.
  const stage = waterfall.getByRole("region", { name: "Stage stage-0" });
  await expect(stage.getByTestId("waterfall-row")).toHaveCount(5);
  const slowStep = stage.getByTestId("waterfall-row").filter({ hasText: "RUN sleep 8" });
  await expect(slowStep).toContainText("L4");
  await expect(
    stage.getByTestId("waterfall-row").filter({ hasText: "COPY hello.txt" }),
  ).toContainText("L5");
  // Nothing was cached on a new builder: the critical path runs through the 8 s step, and "why
  // slow" says where the cache was lost instead of claiming every step was cached.
  await expect(slowStep).toHaveAttribute("data-critical", "true");
  await expect(page.getByTestId("why-slow")).toContainText("Where the cache was lost");
  await expect(page.getByTestId("why-slow")).not.toContainText("came from the cache");
  await slowStep.click();
  await expect(page.getByTestId("step-detail")).toContainText("RUN sleep 8 && echo slept");
  // what the step printed, timed from the step's start
  const logs = page.getByTestId("step-logs");
  // (BuildKit reads stdout and stderr apart: their order between the two is not kept)
  await expect(logs.locator(".step-logs__text")).toHaveText(
    /^(slept\s+stderr: took 8 s|stderr: took 8 s\s+slept)$/,
  );
  await expect(logs.locator(".step-logs__stderr")).toHaveText(/^stderr: took 8 s\s*$/);
  await expect(logs.locator(".step-logs__gutter")).toHaveText(/^\+\d+\.\ds\s+\+\d+\.\ds$/);
  await expect(page.getByTestId("step-logs-truncated")).toHaveCount(0);
  await checkPage(page, "build");

  await page.getByRole("link", { name: /^Lint/ }).click();
  await expect(page).toHaveURL(/tab=lint/);
  const lint = page.getByTestId("lint");
  const finding = lint.getByTestId("lint-finding").filter({ hasText: "DL3003" });
  await expect(finding).toBeVisible({ timeout: 30_000 });
  await expect(finding).toContainText(`Dockerfile:${lintLine}`);
  await expect(finding).toContainText("Use WORKDIR to switch to a directory");
  // The Dockerfile as built, the finding's line marked on it with its code; the finding's
  // location links to that line.
  const dockerfile = lint.getByTestId("dockerfile");
  await expect(dockerfile).toContainText('CMD ["cat", "/app/hello.txt"]');
  const marked = dockerfile.getByTestId("dockerfile-marked-line");
  await expect(marked).toHaveCount(1);
  await expect(marked).toHaveAttribute("id", `L${lintLine}`);
  await expect(marked).toContainText(`${lintLine}RUN cd /tmp && echo ${run}`);
  await expect(dockerfile.getByRole("link", { name: "DL3003" })).toBeVisible();
  await finding.getByRole("link", { name: `Dockerfile:${lintLine}` }).click();
  await expect(page).toHaveURL(new RegExp(`#L${lintLine}$`));
  await checkPage(page, "build-lint");

  // 5. Autoscaling on, 2 builds per builder, up to 4 builders; saved and still there on reload.
  await page.goto(`${projectBase}/settings`);
  await page.getByLabel("Autoscaling").check();
  await page.getByLabel("Builds per builder").fill("2");
  await page.getByLabel("Max builders").fill("4");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Autoscaling")).toBeChecked();
  await expect(page.getByLabel("Builds per builder")).toHaveValue("2");
  await expect(page.getByLabel("Max builders")).toHaveValue("4");
  await checkPage(page, "project-settings");
  await page.goto(projectBase);
  await expect(page.getByText("Autoscaling on · up to 4")).toBeVisible();

  // 6. Reset the cache: the project's builder runs now, so the reset succeeds.
  await page.goto(`${projectBase}/cache`);
  await expect(page.getByRole("heading", { level: 1, name: "Cache" })).toBeVisible();
  await expect(page.getByTestId("records-table")).toBeVisible();
  // the build reported the cache's size: the chart has today's point
  await expect(page.getByLabel(/^Cache size over 1 day, latest \d/)).toBeVisible();
  // KiB against a 50 GiB limit: the axis follows the cache (a flat line at zero said nothing)
  await expect(page.getByTestId("limit-off-scale")).toContainText("50.0 GiB limit");
  await checkPage(page, "cache");
  await page.getByLabel("I understand the next build starts cold").check();
  await page.getByRole("button", { name: "Reset cache" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: /^Cache of linux\/amd64 reset: \d+ records? deleted/ }),
  ).toBeVisible();
  await expect(page.getByTestId("form-error")).toHaveCount(0);
  await screen(page, "cache-reset");

  // The org's other main pages: overview with its project, members, settings, the account.
  await page.goto(`/orgs/${orgSlug}`);
  await expect(page.getByTestId("project-card")).toHaveCount(1);
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await checkPage(page, "org-overview");
  await page.goto(`/orgs/${orgSlug}/members`);
  await expect(page.getByTestId("members-table")).toContainText("Ada Journey");
  await checkPage(page, "members");
  await page.goto(`/orgs/${orgSlug}/settings`);
  await expect(page.getByLabel("Organization name")).toHaveValue(orgName);
  await checkPage(page, "org-settings");
  await page.goto("/account");
  await expect(page.getByTestId("sessions-table")).toContainText("this browser");
  await checkPage(page, "account");

  // 7. Sign out: the dashboard then asks to sign in.
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto(projectBase);
  await expect(page).toHaveURL(/\/signin\?next=/);
  await checkPage(page, "signin");

  expect(errors).toEqual([]);
  expect(failed).toEqual([]);
});
