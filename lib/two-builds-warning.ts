/**
 * The package ships a CommonJS and an ES module build. Node (20.19+, 22.12+,
 * 24+) always loads the ES module one, for `require` as for `import`, through
 * the `module-sync` export condition; loaders without `require(esm)` (jest,
 * bundlers, older Node) take the CommonJS build for `require`. If one process
 * ends up with both, every class exists twice and Nest treats
 * `MessagesService` from one build as a stranger to `AjaxModule` from the
 * other, so say so once, loudly, instead of leaving a confusing
 * dependency-resolution error to be puzzled over.
 */
const LOADED_BUILDS = Symbol.for('nestjs-ajax:loaded-builds');

/** Which build this file was compiled into, told by the module wrapper's variables. */
const thisBuild = typeof module === 'object' && typeof exports === 'object' ? 'CommonJS' : 'ES module';

const registry = globalThis as { [LOADED_BUILDS]?: Set<string> };
const loaded = (registry[LOADED_BUILDS] ??= new Set());
loaded.add(thisBuild);
if (loaded.size > 1) {
  process.emitWarning(
    'nestjs-ajax is loaded twice in this process, as its CommonJS and as its ES module build, so each of its classes ' +
      'exists twice and Nest cannot match one build\'s MessagesService, guards or options with the other\'s AjaxModule. ' +
      'Some files require() it and others import it on a loader without require(esm) support. Load it one way: ' +
      'run on Node ^20.19, ^22.12 or >=24 (where both resolve to one build), or in jest use one module mode for the whole suite.',
    { code: 'NESTJS_AJAX_TWO_BUILDS' },
  );
}
