// Apps written out of the README: the files its code blocks name on their
// first line (`// src/main.ts`), section after section (a later section's file
// replaces an earlier one's), and the table of what a page gets in the last
// section, turned into requests and expected answers. The README is the
// source: an edit that breaks an app or changes an answer fails the matrix.
import { deepStrictEqual } from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { visitor } from './checks.mjs';

/** The README's section under `## <title>`. */
function section(readme, title) {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start === -1) throw new Error(`the README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Writes every code block of these sections that names its file into `folder`, in order; gives the paths written. */
export function writeReadmeFiles(readmePath, titles, folder) {
  const readme = readFileSync(readmePath, 'utf8');
  const written = new Set();
  for (const title of titles) {
    const blocks = [...section(readme, title).matchAll(/```(?:ts|jsonc)\n(\/\/ (\S+)\n[\s\S]*?)```/g)];
    if (blocks.length === 0) throw new Error(`"${title}" has no code block that names its file`);
    for (const [, content, path] of blocks) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), content);
      written.add(path);
    }
  }
  return [...written];
}

/** A section's table: rows of a request (`METHOD /path {json}`, maybe from another site), a status, maybe an `Allow`, and a JSON body. */
export function readmeTable(readmePath, title) {
  const rows = section(readFileSync(readmePath, 'utf8'), title)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [request, status, body] = line.slice(2, -2).split(' | ');
      const [, method, path, json] = /`([A-Z]+) (\S+)(?: (\{.*\}))?`/.exec(request) ?? [];
      if (!method) throw new Error(`a "${title}" table row without a request: ${line}`);
      // A request a browser sends from another site says so: "(… `Sec-Fetch-Site: cross-site`)".
      const site = /`Sec-Fetch-Site: ([a-z-]+)`/.exec(request)?.[1];
      return {
        method,
        path,
        body: json ? JSON.parse(json) : undefined,
        headers: site ? { 'sec-fetch-site': site } : {},
        status: Number(/\d{3}/.exec(status)[0]),
        allow: /Allow: ([A-Z, ]+)/.exec(status)?.[1] ?? null,
        expected: JSON.parse(/`(\{.*\})`/.exec(body)[1]),
      };
    });
  if (rows.length === 0) throw new Error(`"${title}" has no table of answers`);
  return rows;
}

/** Sends the table's requests in order, as one browser session, and compares every answer. */
export async function checkReadmeTable(url, table) {
  const call = visitor(url);
  for (const row of table) {
    const { status, allow, body } = await call(row.method, row.path, row.body, row.headers);
    deepStrictEqual({ status, allow, body }, { status: row.status, allow: row.allow, body: row.expected }, `${row.method} ${row.path}`);
  }
  return `${table.length} answers as the README shows`;
}
