/**
 * What a secret looks like in the tests: a full switchyard key (its 12-character
 * prefix is public), the workspaces' own provider keys and hosted provider keys
 * the tests use, Stripe secrets, the BYOK master key.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [
  /sk-sy-[A-Za-z0-9_-]{8,}/,
  /sk-own-/,
  /sk-hosted/,
  /whsec_/,
  /sk_test_/,
  /c3dpdGNoeWFyZC10ZXN0LWJ5b2stbWFzdGVyLWtleSE/, // vitest.config.ts's BYOK_MASTER_KEY
];

export function linesWithSecrets(text: readonly string[]): string[] {
  return text.filter((line) => SECRET_PATTERNS.some((p) => p.test(line)));
}
