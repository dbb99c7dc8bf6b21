import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO_OWNER, signIn, snap, watchErrors } from "./helpers";

const run = Date.now().toString(36);
const PASSWORD = "a long enough passphrase";

async function signUp(page: Page, name: string, email: string) {
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

async function newPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return { context, page: await context.newPage() };
}

test("signed out, dashboard pages redirect to sign-in; bad credentials get an error by the field", async ({
  page,
}) => {
  const errors = watchErrors(page, { expectedStatuses: [401] });
  await page.goto("/orgs/acme");
  await expect(page).toHaveURL(/\/signin\?next=%2Forgs%2Facme$/);
  await expect(page.getByRole("heading", { name: "Sign in to Slipway" })).toBeVisible();
  await snap(page, "signin");

  await page.getByLabel("Email").fill(`nobody-${run}@example.test`);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("password-error")).toHaveText(
    "The email or password is not correct.",
  );
  await snap(page, "signin-error");

  // Signing in returns to where the visitor was going.
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme$/);

  // The session cookie: __Host- prefixed, HttpOnly, Secure (127.0.0.1 is a secure context), Lax.
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "__Host-slipway_session");
  expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
  expect(session?.value).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{52}$/);
  expect(errors).toEqual([]);
});

test("sign up, create an org and a token, invite a second user who joins, sign out", async ({
  page,
  browser,
}) => {
  const errors = watchErrors(page, { expectedStatuses: [400, 404] });
  const email = `founder-${run}@example.test`;
  await page.goto("/signup");
  // Weak passwords are refused next to the field, the other fields keep their values.
  await page.getByLabel("Name").fill("Grace Founder");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("password123");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("password-error")).toContainText("most common passwords");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await signUp(page, "Grace Founder", email);

  await expect(page).toHaveURL(/\/orgs\/new$/);
  await expect(page.getByRole("heading", { name: "Create your first organization" })).toBeVisible();
  await snap(page, "org-new");
  const orgName = `Hopper Labs ${run}`;
  await page.getByLabel("Name").fill(orgName);
  await page.getByRole("button", { name: "Create organization" }).click();
  const slug = `hopper-labs-${run}`;
  await expect(page).toHaveURL(new RegExp(`/orgs/${slug}$`));
  await expect(page.locator(".org-switcher__name")).toHaveText(orgName);
  // The switcher lists only this user's orgs: not the demo org.
  await page.locator(".org-switcher__current").click();
  await expect(page.locator(".org-switcher__menu li")).toHaveCount(1);
  await page.locator(".org-switcher__current").click();

  // Another org's address is a 404, as if it did not exist.
  const foreign = await page.goto("/orgs/acme");
  expect(foreign?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Organization not found" })).toBeVisible();

  // API token: shown once, then only its prefix.
  await page.goto(`/orgs/${slug}/tokens`);
  await page.getByLabel("Name").fill("GitHub Actions");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^slw_[a-z2-7]{32}$/);
  await expect(page.getByRole("button", { name: "Copy" }).first()).toBeVisible();
  const row = page.getByTestId("tokens-table").locator("tbody tr", { hasText: "GitHub Actions" });
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row).toContainText("Grace Founder");
  await snap(page, "tokens");
  // The token works against the REST API.
  const api = await page.request.get("/api/v1/projects", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(api.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);

  // Invite link for a member.
  await page.goto(`/orgs/${slug}/members`);
  // The sole owner is offered neither "Leave" nor a role change (the server refuses both).
  const ownerRow = page.getByTestId("members-table").locator("tbody tr").first();
  await expect(ownerRow.getByTestId("last-owner-note")).toContainText("only owner");
  await expect(ownerRow.getByRole("button", { name: "Leave" })).toHaveCount(0);
  await expect(ownerRow.getByRole("combobox")).toHaveCount(0);
  await page.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = (await page.getByTestId("invite-link").textContent()) ?? "";
  expect(link).toMatch(/\/invite\/inv_[a-z2-7]{32}$/);
  await snap(page, "members");

  // A second user, in a new browser context, signs up from the link and joins.
  const second = await newPage(browser);
  const secondErrors = watchErrors(second.page);
  await second.page.goto(link);
  await expect(second.page.getByRole("heading", { name: `Join ${orgName}` })).toBeVisible();
  await snap(second.page, "invite");
  await second.page.getByRole("link", { name: "Create an account to join" }).click();
  await signUp(second.page, "Linus Second", `second-${run}@example.test`);
  await expect(second.page).toHaveURL(/\/invite\/inv_/);
  await second.page.getByRole("button", { name: `Join ${orgName}` }).click();
  await expect(second.page).toHaveURL(new RegExp(`/orgs/${slug}$`));
  await expect(second.page.locator(".user-menu")).toContainText("Member");
  // The link works once.
  await second.page.goto(link);
  await expect(second.page.getByRole("heading", { name: "Invite already used" })).toBeVisible();
  expect(secondErrors).toEqual([]);
  await second.context.close();

  await page.reload();
  const members = page.getByTestId("members-table").locator("tbody tr");
  await expect(members).toHaveCount(2);
  await expect(members.nth(1)).toContainText("Linus Second");

  // Sessions page lists this browser.
  await page.goto("/account");
  await expect(page.getByTestId("sessions-table")).toContainText("this browser");
  await snap(page, "account");

  // Sign out ends the session: the dashboard asks to sign in again.
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto(`/orgs/${slug}`);
  await expect(page).toHaveURL(/\/signin\?next=/);
  expect(errors).toEqual([]);
});

test("a cross-site form post is refused", async ({ page }) => {
  await signIn(page, DEMO_OWNER);
  const post = (headers: Record<string, string>) =>
    page.request.post("/orgs/acme/settings", {
      form: { intent: "rename", name: "Pwned" },
      headers,
    });
  // Fetch Metadata says another site: our check answers 403 with a message.
  const crossSite = await post({ "sec-fetch-site": "cross-site" });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toContain("refused to protect your account");
  // Neither header: refused too.
  expect((await post({})).status()).toBe(403);
  // A foreign Origin is already refused by React Router itself (400) before any action runs.
  expect((await post({ origin: "https://evil.example" })).status()).toBeGreaterThanOrEqual(400);
  await page.goto("/orgs/acme/settings");
  await expect(page.getByLabel("Organization name")).toHaveValue("Acme Robotics");
});
