import { getSchemaPath } from '@nestjs/swagger';
import { AjaxMessage } from './ajax-api.models.js';
import type { ResponseEntry } from './error-responses.js';

type Schema = Record<string, unknown>;

/** Types a handler may answer with that are never a plain object, so never carry messages. */
const NOT_OBJECTS = new Set<unknown>([String, Number, Boolean, BigInt, Symbol, Array, Date]);

/** A response entry, and the models its schema now refers to. @internal */
export interface WithMessages {
  entry: ResponseEntry;
  models: Array<new (...args: never[]) => unknown>;
}

/** A success status (`200`, `2XX`…), as a key of a handler's responses. @internal */
export function isSuccessStatus(status: string): boolean {
  return /^2(\d\d|XX)$/.test(status);
}

/**
 * The `messages` member every JSON object a route answers with can carry: to
 * be combined (`allOf`) with the body's own schema.
 * @internal
 */
export function messagesMember(): Schema {
  return {
    type: 'object',
    properties: {
      messages: {
        type: 'array',
        items: { $ref: getSchemaPath(AjaxMessage) },
        description: 'The pending flash messages, when there are any; a body with a `messages` of its own carries none.',
      },
    },
  };
}

/**
 * A documented success response whose body may carry the pending messages:
 * its schema (from `type`, `schema` or `content`) combined with
 * `messagesMember()` by `allOf`. Bodies that cannot carry them (arrays,
 * strings, numbers, booleans), bodies documented with `standardSchema` or
 * not at all, and schemas that already declare `messages` are left as they are.
 * @internal
 */
export function withMessages(entry: ResponseEntry): WithMessages {
  if (entry.standardSchema !== undefined) return { entry, models: [] };
  if (isSchema(entry.schema)) return { entry: canCarry(entry.schema) ? { ...entry, schema: combined(entry.schema) } : entry, models: [] };
  if (isSchema(entry.content)) return { entry: { ...entry, content: withMessagesInContent(entry.content) }, models: [] };
  const { type, isArray, nullable, ...rest } = entry;
  if (typeof type !== 'function' || isArray || NOT_OBJECTS.has(type)) return { entry, models: [] };
  const model = type === Object ? undefined : (type as new (...args: never[]) => unknown);
  const schema = combined(model ? { $ref: getSchemaPath(model) } : { type: 'object' });
  // As @nestjs/swagger writes a nullable model: an object schema that may be null.
  return { entry: { ...rest, schema: nullable ? { type: 'object', nullable: true, ...schema } : schema }, models: model ? [model] : [] };
}

function withMessagesInContent(content: Schema): Schema {
  const wrapped: Schema = {};
  for (const [mediaType, media] of Object.entries(content)) {
    const schema = isSchema(media) ? media.schema : undefined;
    wrapped[mediaType] = isSchema(media) && isSchema(schema) && canCarry(schema) ? { ...media, schema: combined(schema) } : media;
  }
  return wrapped;
}

function combined(schema: Schema): Schema {
  return { allOf: [schema, messagesMember()] };
}

/** Whether a body of this schema may be a plain object that has no `messages` of its own. */
function canCarry(schema: Schema): boolean {
  if (typeof schema.type === 'string' && schema.type !== 'object') return false;
  return !declaresMessages(schema);
}

function declaresMessages(schema: Schema): boolean {
  const properties = schema.properties;
  if (isSchema(properties) && properties.messages !== undefined) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((part) => isSchema(part) && declaresMessages(part));
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null;
}
