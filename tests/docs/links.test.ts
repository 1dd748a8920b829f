import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/** The README, RELIABILITY.md and every page under docs/: what a reader follows links through. */
function pages(): string[] {
  const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => join(root, "docs", f));
  return [join(root, "README.md"), join(root, "RELIABILITY.md"), ...docs];
}

/** Relative markdown link targets, without their #anchor (links to the web and to in-page anchors are not files). */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "");
  for (const match of withoutCode.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
    targets.push(target.split("#")[0]!);
  }
  return targets;
}

describe("documentation links", () => {
  it("the README links every page under docs/", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const linked = new Set(relativeLinks(readme));
    const unlinked = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md") && !linked.has(`docs/${f}`));
    expect(unlinked).toEqual([]);
  });

  it("the README stays a front door (at most ~150 lines)", () => {
    expect(readFileSync(join(root, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(160);
  });

  for (const page of pages()) {
    it(`every relative link in ${page.slice(root.length + 1)} resolves`, () => {
      const broken = relativeLinks(readFileSync(page, "utf8")).filter((target) => !existsSync(resolve(dirname(page), target)));
      expect(broken).toEqual([]);
    });
  }
});
