import { BUILD_FORMAT } from './build-format.js';

/**
 * The package ships a CommonJS and an ES module build. Node (20.19+, 22.12+,
 * 24+) always loads the ES module one, for `require` as for `import`, through
 * the `module-sync` export condition; loaders without `require(esm)` (jest,
 * most bundlers, older Node) take the CommonJS build for `require`. Each build
 * knows which it is (`BUILD_FORMAT`, fixed when built). If one process
 * ends up with both, every class exists twice and Nest treats
 * `MessagesService` from one build as a stranger to `AjaxModule` from the
 * other, so say so once, loudly, instead of leaving a confusing
 * dependency-resolution error to be puzzled over.
 */
const LOADED_BUILDS = Symbol.for('nestjs-ajax:loaded-builds');

const registry = globalThis as { [LOADED_BUILDS]?: Set<string> };
const loaded = (registry[LOADED_BUILDS] ??= new Set());
const firstOfThisBuild = !loaded.has(BUILD_FORMAT);
loaded.add(BUILD_FORMAT);
if (firstOfThisBuild && loaded.size > 1) {
  process.emitWarning(
    'nestjs-ajax is loaded twice in this process, as its CommonJS and as its ES module build, so each of its classes ' +
      "exists twice and Nest cannot match one build's MessagesService, guards or options with the other's AjaxModule. " +
      'Some files require() it and others import it, through a loader that cannot require an ES module: a bundler, ' +
      'jest, or Node before 20.19/22.12. Load it one way: leave it external to the bundle (Node then resolves both ' +
      'to one build), run on Node ^20.19, ^22.12 or >=24, or in jest use one module mode for the whole suite.',
    { code: 'NESTJS_AJAX_TWO_BUILDS' },
  );
}
