import type { Role } from "@switchyard/dashboards";
import { accountBalances, accounts, members, users, workspaces } from "@switchyard/db";
import { asc, eq } from "drizzle-orm";
import type { WorkspaceAccess } from "../env.ts";
import { randomId } from "../lib/encoding.ts";
import type { Db } from "./client.ts";

/** The user's workspaces with their role in each, oldest membership first. */
export function memberships(db: Db, userId: string): Promise<WorkspaceAccess[]> {
  return db
    .select({ id: workspaces.id, name: workspaces.name, accountId: workspaces.accountId, role: members.role })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(eq(members.userId, userId))
    .orderBy(asc(members.createdAt), asc(workspaces.name));
}

/** "ada@example.com" → "ada's workspace": tells workspaces apart in a shared switcher. */
export const defaultWorkspaceName = (email: string) => `${email.split("@")[0]!.slice(0, 40)}'s workspace`;

/**
 * A new user with their own account (zero balance) and a first workspace they own,
 * written in one D1 batch so a half-created user cannot exist.
 */
export async function createUserWithWorkspace(db: Db, email: string, passwordHash: string): Promise<{ userId: string; workspaceId: string }> {
  const userId = randomId("usr_");
  const accountId = randomId("acct_");
  const workspaceId = randomId("ws_");
  await db.batch([
    db.insert(users).values({ id: userId, email, passwordHash }),
    db.insert(accounts).values({ id: accountId, name: email }),
    db.insert(accountBalances).values({ accountId, balanceNanos: 0 }),
    db.insert(workspaces).values({ id: workspaceId, accountId, name: defaultWorkspaceName(email) }),
    db.insert(members).values({ workspaceId, userId, role: "owner" }),
  ]);
  return { userId, workspaceId };
}

/** Another workspace on the same account (credits are shared), owned by its creator. */
export async function createWorkspace(db: Db, accountId: string, name: string, ownerId: string): Promise<string> {
  const id = randomId("ws_");
  await db.batch([
    db.insert(workspaces).values({ id, accountId, name }),
    db.insert(members).values({ workspaceId: id, userId: ownerId, role: "owner" satisfies Role }),
  ]);
  return id;
}

export async function findUserByEmail(db: Db, email: string) {
  const rows = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return rows[0];
}

export async function workspaceSettings(db: Db, workspaceId: string) {
  const rows = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  return rows[0]!;
}

export interface WorkspaceSettingsUpdate {
  name: string;
  zdr: boolean;
  euOnly: boolean;
  monthlyBudgetNanos: number | null;
  providerPreferences: string | null;
}

export async function updateWorkspaceSettings(db: Db, workspaceId: string, update: WorkspaceSettingsUpdate): Promise<void> {
  await db.update(workspaces).set(update).where(eq(workspaces.id, workspaceId));
}

export async function accountName(db: Db, accountId: string): Promise<string> {
  const rows = await db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)).limit(1);
  return rows[0]?.name ?? accountId;
}

export async function balanceNanos(db: Db, accountId: string): Promise<number> {
  const rows = await db.select({ b: accountBalances.balanceNanos }).from(accountBalances).where(eq(accountBalances.accountId, accountId)).limit(1);
  return rows[0]?.b ?? 0;
}
