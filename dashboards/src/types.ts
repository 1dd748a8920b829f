/** What every signed-in page knows: who, which workspace, which role, which section. */
export type Role = "owner" | "admin" | "member";

export type Section = "overview" | "activity" | "keys" | "credits" | "byok" | "settings";

export interface WorkspaceSummary {
  id: string;
  name: string;
  role: Role;
}

export interface PageContext {
  user: { email: string };
  csrfToken: string;
  workspace: { id: string; name: string };
  role: Role;
  workspaces: WorkspaceSummary[];
  section: Section;
  /** A success message after a redirect. */
  notice?: string;
  /** An error shown in place on the page it concerns. */
  error?: string;
}

/** Owners and admins change things; members read. */
export const canManage = (role: Role) => role === "owner" || role === "admin";
