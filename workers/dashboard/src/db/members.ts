import type { Role } from "@switchyard/dashboards";
import { members, users } from "@switchyard/db";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";

export function listMembers(db: Db, workspaceId: string) {
  return db
    .select({ userId: members.userId, email: users.email, role: members.role })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(eq(members.workspaceId, workspaceId))
    .orderBy(asc(members.createdAt));
}

export async function addMember(db: Db, workspaceId: string, userId: string, role: Role): Promise<boolean> {
  const result = await db.insert(members).values({ workspaceId, userId, role }).onConflictDoNothing().returning({ userId: members.userId });
  return result.length > 0;
}

export async function setRole(db: Db, workspaceId: string, userId: string, role: Role): Promise<void> {
  await db.update(members).set({ role }).where(and(eq(members.workspaceId, workspaceId), eq(members.userId, userId)));
}

export async function removeMember(db: Db, workspaceId: string, userId: string): Promise<void> {
  await db.delete(members).where(and(eq(members.workspaceId, workspaceId), eq(members.userId, userId)));
}
