/**
 * The import map in ARCHITECTURE.md is the law: every import in src/ (and web/)
 * must be allowed by its folder's row, project folders and governed packages
 * alike. Reads the table from the document itself, so the two cannot drift.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Packages whose use is a layering decision; the rest (zod, …) may be used anywhere. */
const GOVERNED = [/^hono(\/|$)/, /^@hono\//, /^drizzle-orm(\/|$)/, /^unpdf$/, /^cloudflare:workers$/, /^@modelcontextprotocol\//];

interface Row { unit: string; imports: string[]; packages: string[] }

/** The rows of "## Layers and import rules". */
export function readImportMap(markdown: string): Row[] {
  const section = markdown.split('## Layers and import rules')[1]!.split('\n## ')[0]!;
  const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return section.split('\n').filter((l) => /^\| `/.test(l)).map((line) => {
    const cells = line.split('|').map((c) => c.trim());
    return { unit: ticks(cells[1]!)[0]!, imports: ticks(cells[3]!), packages: ticks(cells[4]!) };
  });
}

export interface SourceFile { path: string; imports: string[] }

/** Violations: `file → import (why)`. Paths are relative to the project root, without extension for project imports. */
export function violations(rows: Row[], files: SourceFile[]): string[] {
  const unitOf = (path: string) => rows.map((r) => r.unit).filter((u) => path === u || path.startsWith(`${u}/`) || path.startsWith(`${u}.`))
    .sort((a, b) => b.length - a.length)[0];
  const found: string[] = [];
  for (const file of files) {
    const unit = unitOf(file.path);
    const row = rows.find((r) => r.unit === unit);
    if (!row) { found.push(`${file.path}: no row in the import map for this folder`); continue; }
    for (const spec of file.imports) {
      if (spec.startsWith('.')) {
        const target = normalize(join(dirname(file.path), spec)).replace(/\.(ts|tsx|js|mjs)$/, '');
        const targetUnit = unitOf(target);
        if (targetUnit === unit) continue;
        const allowed = row.imports.some((a) => target === a || target.startsWith(`${a}/`) || (targetUnit !== undefined && a === targetUnit));
        if (!allowed) found.push(`${file.path} → ${target} (${unit} may not import ${targetUnit ?? target})`);
      } else if (GOVERNED.some((g) => g.test(spec))) {
        const allowed = row.packages.some((p) => spec === p || spec.startsWith(`${p}/`) || (p.endsWith('/*') && spec.startsWith(p.slice(0, -1))) || (p === '@hono/zod-openapi' && spec === p));
        if (!allowed) found.push(`${file.path} → ${spec} (${unit} may not use ${spec})`);
      }
    }
  }
  return found;
}

function sourceFiles(dir: string): SourceFile[] {
  if (!existsSync(join(ROOT, dir))) return [];
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(join(ROOT, d))) {
      const path = join(d, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) {
        const text = readFileSync(join(ROOT, path), 'utf8');
        const imports = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)]
          .map((m) => m[1] ?? m[2] ?? m[3]!);
        out.push({ path: relative(ROOT, join(ROOT, path)).replace(/\.(ts|tsx)$/, ''), imports });
      }
    }
  };
  walk(dir);
  return out;
}

describe('the import map in ARCHITECTURE.md', () => {
  const rows = readImportMap(readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8'));

  it('has a row for every floor', () => {
    expect(rows.map((r) => r.unit)).toEqual(expect.arrayContaining(['src/lib', 'src/game', 'src/db', 'src/auth', 'src/services', 'src/http', 'src/routes', 'src/objects', 'src/app', 'src/index']));
  });

  it('lists only lower floors as imports (no cycles)', () => {
    const order = rows.map((r) => r.unit);
    for (const [i, row] of rows.entries()) {
      for (const target of row.imports) {
        const floor = order.findIndex((u) => target === u || target.startsWith(`${u}/`));
        expect(floor, `${row.unit} → ${target}`).toBeGreaterThanOrEqual(0);
        expect(floor, `${row.unit} → ${target}`).toBeLessThan(i);
      }
    }
  });

  it('is obeyed by every file in src/ and web/', () => {
    const files = [...sourceFiles('src'), ...sourceFiles('web')];
    expect(files.length).toBeGreaterThan(50);
    expect(violations(rows, files)).toEqual([]);
  });

  it('catches a planted violation', () => {
    const planted: SourceFile[] = [
      { path: 'src/game/dice/roll', imports: ['../../services/scope'] },
      { path: 'src/routes/characters', imports: ['drizzle-orm'] },
      { path: 'src/services/campaigns', imports: ['hono'] },
      { path: 'src/rules/search', imports: ['../http/router'] },
    ];
    expect(violations(rows, planted)).toEqual([
      'src/game/dice/roll → src/services/scope (src/game may not import src/services)',
      'src/routes/characters → drizzle-orm (src/routes may not use drizzle-orm)',
      'src/services/campaigns → hono (src/services may not use hono)',
      'src/rules/search → src/http/router (src/rules may not import src/http)',
    ]);
  });
});
