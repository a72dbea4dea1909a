import type { Type } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { AJAX_OPTIONS, AJAX_ROOT } from './ajax.constants.js';
import { AjaxConfigurationError } from './ajax.errors.js';

/** What the check needs of Nest's module records (`Module` of `@nestjs/core/injector`). */
interface ModuleRecord {
  readonly name: string;
  readonly metatype: Type<unknown>;
  readonly isGlobal: boolean;
  readonly providers: Map<unknown, unknown>;
  readonly imports: Set<ModuleRecord>;
}

/** A forRoot() module's own marker (a value provider), which tells its declaration apart from another call's. */
function markerOf(record: ModuleRecord): unknown {
  return (record.providers.get(AJAX_ROOT) as { instance?: unknown } | undefined)?.instance;
}

/** Whether a declared import (`@Module({ imports })`) is this AjaxModule record: the class, or the forRoot() call that made it. */
function declares(item: unknown, record: ModuleRecord, ajaxModule: Type<unknown>): boolean {
  const marker = markerOf(record);
  if (marker === undefined) return item === ajaxModule;
  const dynamic = item as { module?: unknown; providers?: Array<{ provide?: unknown; useValue?: unknown }> } | null;
  return dynamic?.module === ajaxModule && Boolean(dynamic.providers?.some((p) => p.provide === AJAX_ROOT && p.useValue === marker));
}

/**
 * The modules that declare `record` among their imports, by name. Not from
 * Nest's resolved imports: a global module is linked into every module there.
 */
function importersOf(records: ModuleRecord[], record: ModuleRecord, ajaxModule: Type<unknown>): string {
  const names = records
    .filter((importer) => ((Reflect.getMetadata('imports', importer.metatype) ?? []) as unknown[]).some((item) => declares(item, record, ajaxModule)))
    .map((importer) => importer.name);
  return names.length ? names.join(', ') : 'a dynamic module';
}

/**
 * Fails the start-up on the two ways of importing the module that look right
 * and are not: `forRoot()` in more than one module (each call makes its own
 * options and message settings, so one visitor got messages tagged both ways),
 * and the `AjaxModule` class imported alone where no `forRoot()` is visible
 * (it has no providers: the class is only a place for `forRoot()`).
 * @param ajaxModule the module class, so that both builds check their own.
 * @param optionsVisible whether what is being built sees the options of a forRoot().
 * @internal
 */
export function checkAjaxModuleImports(container: ModulesContainer, ajaxModule: Type<unknown>, optionsVisible: boolean): void {
  const records = [...container.values()] as unknown as ModuleRecord[];
  const ours = records.filter((record) => record.metatype === ajaxModule);
  const roots = ours.filter((record) => record.providers.has(AJAX_OPTIONS));
  if (roots.length > 1) {
    throw new AjaxConfigurationError(
      `AjaxModule.forRoot() (or forRootAsync()) is called ${roots.length} times, imported by ${roots.map((root) => importersOf(records, root, ajaxModule)).join(' and by ')}, ` +
        'which would give the app as many sets of options. Call it once, in the root module: ' +
        'every module then sees @Ajax(), the guards, the filter, @Messages() and MessagesService. To keep it to some modules, ' +
        'call forRoot({ isGlobal: false }) once, in a shared module that exports AjaxModule, and import that module where it is used.',
    );
  }
  const bare = ours.filter((record) => !record.providers.has(AJAX_OPTIONS));
  if (optionsVisible || !bare.length) return;
  const where = bare.map((record) => importersOf(records, record, ajaxModule)).join(', ');
  throw new AjaxConfigurationError(
    roots.length
      ? `${where} imports the AjaxModule class, which brings nothing: AjaxModule.forRoot({ isGlobal: false }) in ${importersOf(records, roots[0], ajaxModule)} ` +
          'is seen only there. Drop isGlobal: false (one forRoot() then serves every module); or call forRoot({ isGlobal: false }) ' +
          'in a shared module that exports AjaxModule, and import that module instead of the class.'
      : `${where} imports the AjaxModule class without calling forRoot(): the class alone provides nothing. ` +
          'Import AjaxModule.forRoot() once, in the root module; every module then sees what it provides.',
  );
}
