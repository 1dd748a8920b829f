import type { DeployTarget } from "./targets.ts";

export interface SecretsReport {
  target: DeployTarget["id"];
  missing: string[];
  /** Set when none of `anyOfSecrets` is present. */
  noneOf: string[] | null;
  /** Optional secrets not set (a provider key: that provider is skipped by routing). */
  unset: string[];
}

/**
 * Which secrets each worker lacks, given the names of the secrets it has. Works on
 * names only: a value is never read, so none can be printed.
 */
export function checkSecrets(targets: DeployTarget[], present: (target: DeployTarget) => ReadonlySet<string>): SecretsReport[] {
  return targets.map((target) => {
    const have = present(target);
    const missingAnyOf = target.anyOfSecrets.filter((name) => !have.has(name));
    return {
      target: target.id,
      missing: target.requiredSecrets.filter((name) => !have.has(name)),
      noneOf: target.anyOfSecrets.length > 0 && missingAnyOf.length === target.anyOfSecrets.length ? target.anyOfSecrets : null,
      unset: target.anyOfSecrets.length > missingAnyOf.length ? missingAnyOf : [],
    };
  });
}

export function secretsOk(reports: SecretsReport[]): boolean {
  return reports.every((r) => r.missing.length === 0 && r.noneOf === null);
}

export function formatSecrets(reports: SecretsReport[]): string[] {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.missing.length === 0 && r.noneOf === null) lines.push(`  ok       ${r.target}: every required secret is set`);
    for (const name of r.missing) lines.push(`  MISSING  ${r.target}: ${name}   (wrangler secret put ${name})`);
    if (r.noneOf) lines.push(`  MISSING  ${r.target}: at least one of ${r.noneOf.join(", ")}`);
    if (r.unset.length > 0) lines.push(`  note     ${r.target}: not set, so those providers are skipped: ${r.unset.join(", ")}`);
  }
  return lines;
}
