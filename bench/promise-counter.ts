import { createHook } from 'node:async_hooks';
import { writeSync } from 'node:fs';

/**
 * Loaded into a variant's server with `--import` by `bench/promises.ts`:
 * counts the promises the process creates (through the `init` hook of
 * `node:async_hooks`) and, on SIGUSR2, writes the count so far to standard
 * output as `PROMISES <count>`. Written synchronously, so that the line is
 * out before the parent's next request.
 */
let promises = 0;
createHook({
  init(_id, type) {
    if (type === 'PROMISE') promises++;
  },
}).enable();
process.on('SIGUSR2', () => {
  writeSync(1, `PROMISES ${promises}\n`);
});
