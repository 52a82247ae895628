// Architecture rules over the import graph of our own TypeScript (src/** and views/**).
// Each test fails with every violation as `from → to` (marked "(type-only)" when only types are imported).
// Test-only files (*.test.ts(x), *.fixture.ts(x), src/test/**) are left out: their imports are not read.
// Relative specifiers and the tsconfig alias `@views/*` resolve to x, x.ts, x.tsx, x/index.ts or x/index.tsx.
import { describe, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";

const ROOT = join(import.meta.dir, "..");
const ts = new Bun.Transpiler({ loader: "tsx" });
const js = new Bun.Transpiler({ loader: "tsx", inline: false }); // inline: false keeps `${CONST}` paths as written

type Edge = { from: string; to: string; typeOnly: boolean; external: boolean };

const isTestOnly = (f: string) => /\.(test|fixture)\.tsx?$/.test(f) || f.startsWith("src/test/");
const files = [...new Bun.Glob("{src,views}/**/*.{ts,tsx}").scanSync({ cwd: ROOT })].map((f) => f.split("\\").join("/")).filter((f) => !isTestOnly(f)).sort();
const sources = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), "utf8")]));

/** A relative (or `@views/`) specifier as a project path such as "src/db/client.ts"; null for a package or a missing file. */
function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@views/") ? join(ROOT, "views", spec.slice(7)) : spec.startsWith(".") ? join(ROOT, dirname(from), spec) : null;
  if (base === null) return null;
  for (const p of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(p) && statSync(p).isFile()) return relative(ROOT, p).split("\\").join("/");
  }
  return null;
}

// Every specifier, type-only ones included: `import … from`, `export … from`, side-effect `import "x"`,
// and `import("x")` (also `typeof import("x")` in types). Only statements starting a line count, so comments don't.
const ALL_SPECIFIERS = [/^[ \t]*(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"']+)["']/gm, /^[ \t]*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g];

const unresolved: string[] = [];
const edges: Edge[] = files.flatMap((from) => {
  const src = sources.get(from)!;
  // Bun's scanner drops `import type`, `export type` and `import { type A }`-only imports: what it keeps is a value import.
  const values = new Set(ts.scanImports(src).map((i) => i.path));
  const all = new Set([...values, ...ALL_SPECIFIERS.flatMap((re) => [...src.matchAll(re)].map((m) => m[1]!))]);
  return [...all].map((spec) => {
    const to = resolve(from, spec);
    const relativeSpec = spec.startsWith(".") || spec.startsWith("@views/");
    if (to === null && relativeSpec) unresolved.push(`${from} → ${spec}`);
    return { from, to: to ?? spec, typeOnly: !values.has(spec), external: !relativeSpec };
  });
});
const internal = edges.filter((e) => !e.external);
const valueImportsOf = new Map(files.map((f) => [f, internal.filter((e) => e.from === f && !e.typeOnly).map((e) => e.to)]));
const fmt = (e: Edge) => `${e.from} → ${e.to}${e.typeOnly ? " (type-only)" : ""}`;
function report(violations: string[]) {
  if (violations.length > 0) throw new Error(`${violations.length} violation(s):\n${violations.join("\n")}\n`);
}

const under = (f: string, ...dirs: string[]) => dirs.some((d) => f.startsWith(d));
const featureOf = (f: string) => /^src\/features\/([^/]+)\//.exec(f)?.[1] ?? null;
const isMount = (f: string) => /^src\/features\/[^/]+\/mount\.tsx?$/.test(f);
const isRouteFile = (f: string) => /^(routes\.tsx|api\.ts|.+-routes\.tsx?|.+-api\.ts)$/.test(basename(f));

/** Strongly connected components (Tarjan) with more than one file, or a file importing itself. */
function cycles(nodes: string[], next: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) visit(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc = stack.splice(stack.indexOf(v));
    if (scc.length > 1 || next.get(v)?.includes(v)) found.push(scc.sort());
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return found;
}

/** Index just past the bracket that closes the one at `i`, skipping strings, templates and regex literals (in transpiled JS). */
function skipBalanced(s: string, i: number): number {
  const skipQuoted = (end: string) => {
    for (i++; i < s.length && s[i] !== end; i++) {
      if (s[i] === "\\") i++;
      else if (end === "`" && s.startsWith("${", i)) i = skipBalanced(s, i + 1) - 1;
    }
  };
  for (let depth = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"' || ch === "'" || ch === "`") skipQuoted(ch);
    else if (ch === "/" && /([(,=:[!&|?{};]|\breturn)\s*$/.test(s.slice(Math.max(0, i - 20), i))) skipQuoted("/");
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch) && --depth === 0) return i + 1;
  }
  return i;
}

const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "all", "route"]);
/**
 * Route calls whose path is not a literal. Limits: only calls chained straight onto `new Hono(…)`, or onto a
 * variable assigned from `new Hono`, are seen (not a Hono passed in as a parameter); the code is first transpiled
 * to JS so JSX text and types can't confuse the bracket matching; a `/` after `( , = : [ ! & | ? { ;` or `return` starts a regex.
 */
function nonLiteralRoutePaths(code: string): string[] {
  // Where a Hono chain goes on: right after `new Hono(…)`, and after each use of a variable assigned from `new Hono`.
  // (The transpiler may print a bare `new Hono()` as `new Hono`.)
  const starts = [...code.matchAll(/\bnew Hono\b\s*/g)].map((m) => m.index + m[0].length).map((i) => (code[i] === "(" ? skipBalanced(code, i) : i));
  for (const [, name] of code.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*new Hono\b/g)) {
    for (const use of code.matchAll(new RegExp(`(?<![.\\w$])${name}(?=\\s*\\.)`, "g"))) starts.push(use.index + name!.length);
  }
  const isLiteral = (arg: string) => arg.startsWith('"') || /^`[^`]*`/.exec(arg)?.[0].includes("${") === false;
  const bad: string[] = [];
  for (let i of starts) {
    // Follow `.name(…)` / `.name` links for as long as the chain goes on.
    for (let link; (link = /^\s*\.\s*(\w+)\s*(\()?/.exec(code.slice(i))); ) {
      i += link[0].length;
      if (!link[2]) continue;
      const arg = code.slice(i).trimStart();
      if (ROUTE_METHODS.has(link[1]!) && !isLiteral(arg)) bad.push(`.${link[1]}(${arg.split(/[,\n]/)[0]!.slice(0, 60)}, …)`);
      i = skipBalanced(code, i - 1);
    }
  }
  return bad;
}

describe("architecture", () => {
  test("0. every relative import resolves to a file (otherwise the rules below would miss edges)", () => report(unresolved));

  test("1. no circle of imports (value and type-only)", () => {
    const next = new Map(files.map((f) => [f, internal.filter((e) => e.from === f).map((e) => e.to)]));
    report(cycles(files, next).map((scc) => {
      const inside = internal.filter((e) => scc.includes(e.from) && scc.includes(e.to));
      return `cycle of ${scc.length} files:\n    ${scc.join("\n    ")}\n  through these imports:\n    ${inside.map(fmt).join("\n    ")}`;
    }));
  });

  test("2. http, db, lib, config and deps import nothing from features or pages", () => {
    const low = (f: string) => under(f, "src/http/", "src/db/", "src/lib/") || f === "src/config.ts" || f === "src/deps.ts";
    report(internal.filter((e) => low(e.from) && under(e.to, "src/features/", "src/pages/")).map(fmt));
  });

  test("3. views value-import only views and packages", () => {
    report(internal.filter((e) => under(e.from, "views/") && !e.typeOnly && !under(e.to, "views/")).map(fmt));
  });

  test("4. another feature is reached only through its index.ts (schema.ts → schema.ts allowed)", () => {
    const ok = (e: Edge, b: string) => e.to === `src/features/${b}/index.ts` || (basename(e.from) === "schema.ts" && e.to === `src/features/${b}/schema.ts`);
    const crossFeature = (e: Edge) => {
      const a = featureOf(e.from), b = featureOf(e.to);
      return a !== null && b !== null && a !== b && !ok(e, b);
    };
    report(internal.filter(crossFeature).map(fmt));
  });

  test("5. mount.ts is imported only by src/app.ts; src/pages only by src/app.ts and src/pages", () => {
    report(internal.filter((e) => e.from !== "src/app.ts" && (isMount(e.to) || (under(e.to, "src/pages/") && !under(e.from, "src/pages/")))).map(fmt));
  });

  test("6. loading a service (features/*/index.ts) never loads views, mount.ts or route files", () => {
    const offends = (f: string) => under(f, "views/") || isMount(f) || isRouteFile(f);
    const entries = files.filter((f) => /^src\/features\/[^/]+\/index\.ts$/.test(f));
    // Breadth-first over value imports (so each file's `via` is a shortest way to it), not going past an offending
    // file, nor, if `stopAtEntries`, past another service entry: only the first offender on each path is listed.
    const walk = (entry: string, stopAtEntries: boolean) => {
      const via = new Map<string, string>([[entry, ""]]);
      for (const f of via.keys()) {
        if (f !== entry && (offends(f) || (stopAtEntries && entries.includes(f)))) continue;
        for (const to of valueImportsOf.get(f) ?? []) if (!via.has(to)) via.set(to, f);
      }
      return via;
    };
    const loadsPages = new Set(entries.filter((e) => [...walk(e, false).keys()].some(offends)));
    const violations: string[] = [];
    for (const entry of entries) {
      const via = walk(entry, true);
      for (const f of via.keys()) {
        if (f === entry || !(offends(f) || loadsPages.has(f))) continue;
        const path: string[] = [];
        for (let p = via.get(f)!; p !== entry; p = via.get(p)!) path.unshift(p);
        violations.push(`${entry} → ${f}${offends(f) ? "" : " (a service that loads pages, see its own lines)"}${path.length ? `  via ${path.join(" → ")}` : ""}`);
      }
    }
    report(violations);
  });

  test("7. only src/runtime imports bun, bun:*, hono/bun or cloudflare:* (type-only included)", () => {
    const runtimeOnly = (s: string) => s === "bun" || s === "hono/bun" || (s.startsWith("bun:") && s !== "bun:test") || s.startsWith("cloudflare:");
    report(edges.filter((e) => e.external && runtimeOnly(e.to) && !under(e.from, "src/runtime/")).map(fmt));
  });

  test("8. files defining Hono routes are named as route files, and route paths are literals", () => {
    const violations: string[] = [];
    for (const f of files.filter((f) => under(f, "src/features/") && /\bnew Hono\b/.test(sources.get(f)!))) {
      const code = js.transformSync(sources.get(f)!); // comments, types and JSX gone: only real code is checked
      if (!/\bnew Hono\b/.test(code)) continue;
      if (!/^(routes\.tsx|api\.ts|.+-routes\.tsx|.+-api\.ts|mount\.ts)$/.test(basename(f))) violations.push(`${f}: defines routes (new Hono) but is not named routes.tsx, api.ts, <area>-routes.tsx, <area>-api.ts or mount.ts`);
      for (const call of nonLiteralRoutePaths(code)) violations.push(`${f}: route path is not a literal: ${call}`);
    }
    report(violations);
  });
});
