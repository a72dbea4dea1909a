import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One folder per test run for the packed library (test/fixtures/packed-tarball.ts); workers inherit it. */
export default function globalSetup() {
  process.env.NESTJS_AJAX_PACK_DIR = mkdtempSync(join(tmpdir(), 'nestjs-ajax-pack-'));
}
