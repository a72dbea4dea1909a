// The README's Quick start as the matrix uses it: the files its code blocks
// name on their first line (`// src/main.ts`), and the table of what a page
// gets, turned into requests and expected answers. The README is the source:
// an edit that breaks the app or changes an answer fails the matrix.
import { deepStrictEqual } from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { visitor } from './checks.mjs';

/** The Quick start section of the README. */
function section(readme) {
  const start = readme.indexOf('\n## Quick start\n');
  if (start === -1) throw new Error('the README has no "## Quick start" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

/** Writes every code block that names its file into `folder`; gives the paths written. */
export function writeQuickStartFiles(readmePath, folder) {
  const written = [];
  for (const [, content, path] of section(readFileSync(readmePath, 'utf8')).matchAll(/```(?:ts|jsonc)\n(\/\/ (\S+)\n[\s\S]*?)```/g)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
    written.push(path);
  }
  if (written.length === 0) throw new Error('the Quick start has no code block that names its file');
  return written;
}

/** The table's rows: a request (`METHOD /path {json}`), a status, maybe an `Allow`, and a JSON body. */
export function quickStartTable(readmePath) {
  const rows = section(readFileSync(readmePath, 'utf8'))
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [request, status, body] = line.slice(2, -2).split(' | ');
      const [, method, path, json] = /`([A-Z]+) (\S+)(?: (\{.*\}))?`/.exec(request) ?? [];
      if (!method) throw new Error(`a Quick start table row without a request: ${line}`);
      return {
        method,
        path,
        body: json ? JSON.parse(json) : undefined,
        status: Number(/\d{3}/.exec(status)[0]),
        allow: /Allow: ([A-Z, ]+)/.exec(status)?.[1] ?? null,
        expected: JSON.parse(/`(\{.*\})`/.exec(body)[1]),
      };
    });
  if (rows.length === 0) throw new Error('the Quick start has no table of answers');
  return rows;
}

/** Sends the table's requests in order, as one browser session, and compares every answer. */
export async function checkQuickStart(url, table) {
  const call = visitor(url);
  for (const row of table) {
    const { status, allow, body } = await call(row.method, row.path, row.body);
    deepStrictEqual({ status, allow, body }, { status: row.status, allow: row.allow, body: row.expected }, `${row.method} ${row.path}`);
  }
  return `${table.length} answers as the README shows`;
}
