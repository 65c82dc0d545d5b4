import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * "Each table is written only by its owning repository": the map of who may write what is the
 * "Table ownership" table of docs/ARCHITECTURE.md (one source; migration-functions.test.ts checks
 * that it names every table of the database). Every SQL text of src/ (string and template
 * literals, found with the TypeScript parser, so comments do not count) is scanned for writes.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Ownership {
  /** Table → the files allowed to write it (owners and accepted exceptions). */
  writers: Map<string, Set<string>>;
  /** Files allowed to write a table whose name is computed at run time. */
  computedTableWriters: Set<string>;
}

const FILE = /`(src\/[^`]+\.ts)`/g;

function parseOwnership(doc: string): Ownership {
  const section = doc.split(/^## Table ownership$/m)[1]?.split(/^## /m)[0] ?? '';
  const writers = new Map<string, Set<string>>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const [, tables = '', owners = '', exceptions = ''] = line.split('|');
    const files = [...`${owners} ${exceptions}`.matchAll(FILE)].map((m) => m[1] as string);
    for (const m of tables.matchAll(/`([a-z_]+)`/g)) writers.set(m[1] as string, new Set(files));
  }
  const computed =
    /named at run time are allowed only in:([^\n]*(?:\n(?!\n)[^\n]*)*)/.exec(section)?.[1] ?? '';
  return { writers, computedTableWriters: new Set([...computed.matchAll(FILE)].map((m) => m[1] as string)) };
}

interface Write {
  file: string;
  line: number;
  statement: string;
  /** Null: the table's name is computed (a template placeholder right after `update`). */
  table: string | null;
}

const WRITE = /\b(insert\s+into|update|delete\s+from|copy)\s+(?:only\s+)?([a-z_][a-z0-9_]*)/gi;
const WRITE_AT_END = /\b(insert\s+into|update|delete\s+from|copy)\s*$/i;
/** `for update`, `for no key update`, `on conflict … do update`: locks and upserts, not a target. */
const NOT_A_TARGET = /\b(for|key|do)\s+$/i;

/** The writes to known tables in one source file's SQL text. */
function writesIn(file: string, text: string, tables: ReadonlySet<string>): Write[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Write[] = [];
  const lineOf = (node: ts.Node, literal: string, index: number) =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line +
    1 +
    (literal.slice(0, index).match(/\n/g)?.length ?? 0);
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const literal = node.text;
      for (const m of literal.matchAll(WRITE)) {
        const before = literal.slice(0, m.index);
        const table = (m[2] as string).toLowerCase();
        if (NOT_A_TARGET.test(before) || !tables.has(table)) continue;
        const statement = `${(m[1] as string).replace(/\s+/g, ' ').toLowerCase()} ${table}`;
        found.push({ file, line: lineOf(node, literal, m.index), statement, table });
      }
      const open = WRITE_AT_END.exec(literal);
      if ((ts.isTemplateHead(node) || ts.isTemplateMiddle(node)) && open) {
        if (!NOT_A_TARGET.test(literal.slice(0, open.index))) {
          const statement = `${(open[1] as string).replace(/\s+/g, ' ').toLowerCase()} (computed table)`;
          found.push({ file, line: lineOf(node, literal, open.index), statement, table: null });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The writes that the ownership map does not allow, as `file:line statement`. */
function violations(writes: readonly Write[], ownership: Ownership): string[] {
  return writes
    .filter((w) =>
      w.table === null
        ? !ownership.computedTableWriters.has(w.file)
        : !ownership.writers.get(w.table)?.has(w.file),
    )
    .map((w) => `${w.file}:${w.line} ${w.statement}`);
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(ROOT, dir), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await sourceFiles(rel)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(rel);
  }
  return files.sort();
}

let ownership: Ownership;
let tables: Set<string>;
let writes: Write[];

beforeAll(async () => {
  ownership = parseOwnership(await fs.readFile(path.join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8'));
  tables = new Set(ownership.writers.keys());
  writes = [];
  for (const file of await sourceFiles('src')) {
    writes.push(...writesIn(file, await fs.readFile(path.join(ROOT, file), 'utf8'), tables));
  }
});

describe('table ownership (docs/ARCHITECTURE.md "Table ownership")', () => {
  it('is read from the docs: tables with their writers, and the computed-name writers', () => {
    expect(ownership.writers.get('orders')).toContain('src/orders/orders.repo.ts');
    expect(ownership.writers.get('programme_settings')?.size).toBe(0);
    expect(ownership.computedTableWriters).toEqual(new Set(['src/platform/seal-personal-data.ts']));
    expect(writes.length).toBeGreaterThan(50);
  });

  it('every write in src/ is by the table owner or a listed exception', () => {
    expect(violations(writes, ownership)).toEqual([]);
  });

  it('lists no writer that does not write: each file named for a table writes it', () => {
    const written = new Set(writes.map((w) => `${w.table ?? '*'} ${w.file}`));
    const stale: string[] = [];
    for (const [table, files] of ownership.writers) {
      for (const file of files) {
        if (ownership.computedTableWriters.has(file)) continue;
        if (!written.has(`${table} ${file}`)) stale.push(`${table}: ${file}`);
      }
    }
    for (const file of ownership.computedTableWriters) {
      if (!written.has(`* ${file}`)) stale.push(`(computed table): ${file}`);
    }
    expect(stale).toEqual([]);
  });

  it('catches a write outside the owner, and tells locks, upserts and prose from writes', () => {
    // A TypeScript source, its template placeholders written `#{…}` (Biome flags `${…}` in a string).
    const text = [
      'const a = sql`update orders set store_id = #{to} where id = #{id}`;',
      'const b = sql`select 1 from orders where id = #{id} for update`;',
      'const c = sql`insert into stores (id) values (1) on conflict (id) do update set id = excluded.id`;',
      'const d = sql.unsafe(`delete from #{table} where id = $1`);',
      "const e = 'copy persons (id) from stdin';",
      '// update orders set state = 1 (a comment, not SQL)',
      "const f = 'Please update your app to a copy of the latest version';",
    ]
      .join('\n')
      .replaceAll('#{', '${');
    const found = writesIn('src/stores/x.ts', text, tables);
    expect(found.map((w) => `${w.line} ${w.statement}`)).toEqual([
      '1 update orders',
      '3 insert into stores',
      '4 delete from (computed table)',
      '5 copy persons',
    ]);
    expect(violations(found, ownership)).toEqual([
      'src/stores/x.ts:1 update orders',
      'src/stores/x.ts:3 insert into stores',
      'src/stores/x.ts:4 delete from (computed table)',
      'src/stores/x.ts:5 copy persons',
    ]);
  });
});
