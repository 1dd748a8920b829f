/**
 * The audit log's one way in: a prepared insert, so that a settings change and its
 * audit entry go to D1 in the same batch (both or neither). Before/after are the
 * changed settings as JSON: never prompt data, never a secret (a key's prefix, a BYOK
 * key's last four, never the key).
 */
export interface AuditEntry {
  accountId: string;
  workspaceId?: string | null;
  /** The signed-in user who made the change (null for a management API key). */
  actorUserId?: string | null;
  /** As shown: the user's email at the time, or "api key sk-sy-v1-3fa…". */
  actor: string;
  ipAddress?: string | null;
  /** What changed, dotted: "workspace.zdr", "key.create", "member.remove", … */
  action: string;
  /** What it changed: a key id, a member's email, a provider slug. */
  target?: string | null;
  before?: unknown;
  after?: unknown;
  at?: number;
}

export function auditInsert(db: D1Database, e: AuditEntry): D1PreparedStatement {
  const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
  return db
    .prepare(
      "INSERT INTO audit_log (account_id, workspace_id, actor_user_id, actor, ip_address, action, target, before, after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(e.accountId, e.workspaceId ?? null, e.actorUserId ?? null, e.actor, e.ipAddress ?? null, e.action, e.target ?? null, json(e.before), json(e.after), e.at ?? Date.now());
}
