import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";

const root = join(import.meta.dirname, "..");
// Playwright runs outside Turborepo, so its variables need no entry in turbo.json.
const env = process.env;
const baseURL = env.E2E_BASE_URL ?? "http://127.0.0.1:3000";
const { hostname, port } = new URL(baseURL);

// Playwright's own browser download cannot work here: use Debian's Chromium. Without the
// background-networking flags Chromium tries to reach the internet, which this network refuses.
const chromium = {
  executablePath: env.E2E_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

/**
 * End-to-end tests of the web dashboard against a seeded database (`npm run seed`).
 * The web server is built and started here unless E2E_BASE_URL names one that runs already.
 * It needs PostgreSQL and Redis (scripts/start); ingest is optional, /healthz reports it.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  outputDir: join(root, "test-results", "e2e"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(env.CI),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: join(root, "playwright-report"), open: "never" }]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1440, height: 900 },
        launchOptions: chromium,
      },
    },
  ],
  webServer: env.E2E_BASE_URL
    ? undefined
    : {
        command: "npm run build -w @slipway/web && npm run start -w @slipway/web",
        cwd: root,
        // A static file: up as soon as the server listens, whatever the database says.
        url: `${baseURL}/favicon.svg`,
        reuseExistingServer: !env.CI,
        timeout: 180_000,
        stdout: "pipe",
        stderr: "pipe",
        env: { WEB_HOST: hostname, WEB_PORT: port || "3000", NODE_ENV: "production" },
      },
});
