import { rmSync } from 'node:fs';

/** Removes the run's folder of the packed library. */
export default function globalTeardown() {
  if (process.env.NESTJS_AJAX_PACK_DIR) rmSync(process.env.NESTJS_AJAX_PACK_DIR, { recursive: true, force: true });
}
