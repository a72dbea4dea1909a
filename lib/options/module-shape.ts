import { AjaxConfigurationError, describeValue } from '../ajax.errors.js';

/** What shapes the module itself, known before any provider is built. @internal */
export interface ModuleShape {
  /** Every module of the app sees the module's providers. */
  readonly isGlobal: boolean;
  /** The filter and message delivery apply to every route of the app. */
  readonly applyToEveryRoute: boolean;
}

/** The options that shape the module rather than configure it; a factory cannot give them. @internal */
export const SHAPE_KEYS = ['isGlobal', 'applyToEveryRoute', 'global'] as const;

interface ShapeOptions {
  global?: boolean;
  isGlobal?: boolean;
  applyToEveryRoute?: boolean;
}

/**
 * Reads `isGlobal` (default `true`, as one `forRoot()` in the root module must
 * serve every module) and `applyToEveryRoute` (default `false`), or their
 * older shorthand `global`, which sets both. Mixing the shorthand with either
 * would leave one of them saying something the other contradicts, so it fails.
 * @internal
 */
export function resolveModuleShape(options: ShapeOptions | undefined, source: string): ModuleShape {
  const opts = options ?? {};
  for (const key of SHAPE_KEYS) {
    const value = (opts as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new AjaxConfigurationError(`${source} option "${key}" must be true or false; got ${describeValue(value)}.`);
    }
  }
  if (opts.global !== undefined) {
    if (opts.isGlobal !== undefined || opts.applyToEveryRoute !== undefined) {
      throw new AjaxConfigurationError(
        `${source}: "global" is shorthand for both "isGlobal" and "applyToEveryRoute"; give either "global" alone, ` +
          'or "isGlobal" and "applyToEveryRoute" without it.',
      );
    }
    return { isGlobal: opts.global, applyToEveryRoute: opts.global };
  }
  return { isGlobal: opts.isGlobal ?? true, applyToEveryRoute: opts.applyToEveryRoute ?? false };
}
