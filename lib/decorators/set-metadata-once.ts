import { AjaxConfigurationError } from '../ajax.errors.js';

/**
 * A decorator that writes `value` under `key` on what it decorates (a
 * handler, or a controller), as Nest's `SetMetadata()` does, but throws an
 * `AjaxConfigurationError` where another decorator already wrote a value
 * `same()` does not take for this one on that very target: with
 * `SetMetadata()` the decorator written higher up the page silently wins,
 * so `@AllowAnonymous()` above `@Ajax({ loginRequired: true })` let anonymous
 * visitors in and the other way round kept them out. Settings inherited
 * from a parent class, or set on the controller for a handler to override,
 * are not on the same target and are not refused.
 *
 * `conflict(existing, where)` says what contradicts what and how to fix it.
 * @internal
 */
export function setMetadataOnce<T>(
  key: string,
  value: T,
  same: (existing: T, value: T) => boolean,
  conflict: (existing: T, where: string) => string,
): MethodDecorator & ClassDecorator {
  return ((target: object, propertyKey?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = (descriptor ? descriptor.value : target) as object;
    if (Reflect.hasOwnMetadata(key, holder)) {
      const existing = Reflect.getOwnMetadata(key, holder) as T;
      if (!same(existing, value)) throw new AjaxConfigurationError(conflict(existing, targetName(target, propertyKey)));
    }
    Reflect.defineMetadata(key, value, holder);
    return descriptor ?? target;
  }) as MethodDecorator & ClassDecorator;
}

/** `PollsController.vote` for a handler, `PollsController` for a controller. */
function targetName(target: object, propertyKey?: string | symbol): string {
  if (propertyKey === undefined) return (target as { name?: string }).name || 'a controller';
  return `${(target as { constructor?: { name?: string } }).constructor?.name || 'a controller'}.${String(propertyKey)}`;
}
