// Factories shared by the demo seed and tests: each creates one row (and what it needs) with
// sensible defaults that callers override. Unique fields get a per-process counter suffix so
// factories can be called repeatedly in one database.

import { generateApiToken, hashPassword, hashToken } from "../crypto.ts";
import type {
  ApiToken,
  Build,
  BuildStatus,
  Membership,
  Org,
  Plan,
  Prisma,
  Project,
  ProjectSettings,
  Role,
  User,
} from "../generated/prisma/client.ts";
import type { DbTx } from "../index.ts";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}`;

/** Password of users created without one; its argon2id hash is precomputed (no hashing cost). */
export const TEST_PASSWORD = "slipway-test-password";
const TEST_PASSWORD_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$q/VQIsFUKJ1p6W7+LBROjQ$0sB9rKM9VI18dyMIpaU4FngHp4DNd/b1MQ11Ghv3+qA";

export interface UserInput extends Partial<Omit<Prisma.UserUncheckedCreateInput, "passwordHash">> {
  /** Plaintext, hashed with argon2id. Omitted: the user's password is TEST_PASSWORD. */
  password?: string;
  passwordHash?: string;
}

export async function createUser(db: DbTx, input: UserInput = {}): Promise<User> {
  const { password, passwordHash, ...rest } = input;
  const id = unique();
  return db.user.create({
    data: {
      email: `user-${id}@example.test`,
      name: `User ${id}`,
      passwordHash: passwordHash ?? (password ? await hashPassword(password) : TEST_PASSWORD_HASH),
      ...rest,
    },
  });
}

export async function createOrg(
  db: DbTx,
  input: Partial<Prisma.OrgUncheckedCreateInput> = {},
): Promise<Org> {
  const id = unique();
  return db.org.create({ data: { slug: `org-${id}`, name: `Org ${id}`, ...input } });
}

export async function addMember(
  db: DbTx,
  orgId: string,
  userId: string,
  role: Role = "MEMBER",
): Promise<Membership> {
  return db.membership.create({ data: { orgId, userId, role } });
}

export type ProjectInput = Partial<Omit<Prisma.ProjectUncheckedCreateInput, "orgId">> & {
  orgId: string;
  settings?: Partial<Omit<Prisma.ProjectSettingsUncheckedCreateInput, "projectId">>;
};

/** A project with its settings row. */
export async function createProject(
  db: DbTx,
  { settings, ...input }: ProjectInput,
): Promise<Project & { settings: ProjectSettings | null }> {
  const id = unique();
  return db.project.create({
    data: {
      slug: `project-${id}`,
      name: `Project ${id}`,
      ...input,
      settings: { create: { ...settings } },
    },
    include: { settings: true },
  });
}

export type ApiTokenInput = Partial<Omit<Prisma.ApiTokenUncheckedCreateInput, "orgId">> & {
  orgId: string;
};

/** Returns the row and the plaintext token (only here; it is not stored). */
export async function createApiToken(
  db: DbTx,
  input: ApiTokenInput,
): Promise<{ apiToken: ApiToken; token: string }> {
  const generated = generateApiToken();
  const apiToken = await db.apiToken.create({
    data: {
      name: `token-${unique()}`,
      prefix: generated.prefix,
      secretHash: generated.secretHash,
      ...input,
    },
  });
  return { apiToken, token: generated.token };
}

export type BuildInput = Partial<
  Omit<Prisma.BuildUncheckedCreateInput, "orgId" | "projectId" | "number">
> & { project: Pick<Project, "id" | "orgId">; number?: number };

/** A build with the project's next number (allocated like the app does). */
export async function createBuild(
  db: DbTx,
  { project, number, ...input }: BuildInput,
): Promise<Build> {
  const n =
    number ??
    (
      await db.project.update({
        where: { id: project.id },
        data: { lastBuildNumber: { increment: 1 } },
        select: { lastBuildNumber: true },
      })
    ).lastBuildNumber;
  const status: BuildStatus = input.status ?? "QUEUED";
  return db.build.create({
    data: {
      orgId: project.orgId,
      projectId: project.id,
      number: n,
      status,
      platforms: ["linux/amd64"],
      tags: [],
      triggeredBy: "test",
      ...input,
    },
  });
}

export type PlanInput = Omit<Prisma.PlanCreateInput, "subscriptions">;

/** Slipway's demo price list (cents). Runner labels are the hosted-runner sizes. */
export const DEMO_PLANS: readonly PlanInput[] = [
  {
    code: "free",
    name: "Free",
    monthlyPriceCents: 0,
    includedBuildMinutes: 300,
    includedRunnerMinutes: { "slipway-2cpu": 500 },
    includedCacheGb: 5,
    seats: 3,
    auditRetentionDays: 7,
    buildMinuteOverageCents: 0,
    runnerMinuteOverageCents: { "slipway-2cpu": 0 },
    cacheGbMonthOverageCents: 0,
  },
  {
    code: "starter",
    name: "Starter",
    monthlyPriceCents: 2_500,
    includedBuildMinutes: 1_500,
    includedRunnerMinutes: { "slipway-2cpu": 3_000, "slipway-4cpu": 500 },
    includedCacheGb: 50,
    seats: 5,
    auditRetentionDays: 30,
    buildMinuteOverageCents: 5,
    runnerMinuteOverageCents: { "slipway-2cpu": 1, "slipway-4cpu": 2, "slipway-8cpu": 4 },
    cacheGbMonthOverageCents: 25,
  },
  {
    code: "team",
    name: "Team",
    monthlyPriceCents: 19_900,
    includedBuildMinutes: 10_000,
    includedRunnerMinutes: { "slipway-2cpu": 20_000, "slipway-4cpu": 5_000, "slipway-8cpu": 1_000 },
    includedCacheGb: 500,
    seats: 25,
    auditRetentionDays: 180,
    buildMinuteOverageCents: 4,
    runnerMinuteOverageCents: { "slipway-2cpu": 1, "slipway-4cpu": 2, "slipway-8cpu": 3 },
    cacheGbMonthOverageCents: 20,
  },
  {
    code: "business",
    name: "Business",
    monthlyPriceCents: 99_900,
    includedBuildMinutes: 60_000,
    includedRunnerMinutes: {
      "slipway-2cpu": 100_000,
      "slipway-4cpu": 40_000,
      "slipway-8cpu": 10_000,
    },
    includedCacheGb: 2_500,
    seats: 100,
    auditRetentionDays: 400,
    buildMinuteOverageCents: 3,
    runnerMinuteOverageCents: { "slipway-2cpu": 1, "slipway-4cpu": 2, "slipway-8cpu": 3 },
    cacheGbMonthOverageCents: 15,
  },
];

/** Inserts missing plans by code; existing plans are left untouched. */
export async function ensurePlans(
  db: DbTx,
  plans: readonly PlanInput[] = DEMO_PLANS,
): Promise<Plan[]> {
  const out: Plan[] = [];
  for (const plan of plans) {
    out.push(await db.plan.upsert({ where: { code: plan.code }, create: plan, update: {} }));
  }
  return out;
}

export { hashToken };
