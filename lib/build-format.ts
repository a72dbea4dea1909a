/**
 * Which of the package's two builds this file belongs to: the sources are the
 * ES module one, and the build (scripts/build.mjs) rewrites this constant in
 * the CommonJS output. Fixed when built, not guessed at run time from
 * `module`, `exports` or `this`, which bundlers and test runners give ES
 * modules too. @internal
 */
export const BUILD_FORMAT: 'ES module' | 'CommonJS' = 'ES module';
