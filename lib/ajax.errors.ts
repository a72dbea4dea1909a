/**
 * Thrown at start-up (or at decoration time) when the module is set up wrongly:
 * a bad option, a decorator used with arguments it cannot take, or an enhancer
 * used in a module that cannot see `AjaxModule`. The message says what is wrong
 * and how to fix it.
 *
 * @example
 * AjaxModule.forRoot({ messages: { level: 'info' } });
 * // AjaxConfigurationError: AjaxModule option "messages.level" must be a
 * // whole number ≥ 0 such as MessageLevel.INFO (20); got "info".
 */
export class AjaxConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}

/** Renders a value for an error message: strings quoted, objects by their kind. @internal */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function (${value.name || 'anonymous'})`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return String(value);
}
