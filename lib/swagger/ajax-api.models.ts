import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Models rather than bare schema objects: @nestjs/swagger takes a class wherever
// a schema goes (`type:`, `getSchemaPath()`, `ApiExtraModels()`), and registers
// it under its name in `components.schemas`, once, however many routes use it.

/**
 * A flash message as a JSON body carries it, under `messages` (the main
 * entry's `JsonMessage`).
 *
 * @example
 * @ApiOkResponse({ schema: { properties: { messages: { type: 'array', items: { $ref: getSchemaPath(AjaxMessage) } } } } })
 * @ApiExtraModels(AjaxMessage)
 */
@ApiSchema({ description: 'A flash message, as JSON bodies carry it under `messages`.' })
export class AjaxMessage {
  /** The text shown to the user. */
  @ApiProperty({ description: 'The text shown to the user.', example: 'Vote recorded.' })
  message!: string;

  /** Extra tags then the level's tag. */
  @ApiProperty({ description: "Extra tags, then the level's tag (`debug`, `info`, `success`, `warning`, `error` by default).", example: 'success' })
  tags!: string;
}

/**
 * The module's error body (`errorFormat: 'ajax'`, the default), sent as
 * `application/json`.
 *
 * @example
 * @ApiConflictResponse({ type: AjaxErrorBody })
 */
@ApiSchema({
  description:
    "Every error the module answers: the status's reason phrase, the exception's message when it says more, the app's own members of a 4xx exception, and the pending messages.",
})
export class AjaxErrorBody {
  /** Always `"error"`. */
  @ApiProperty({ enum: ['error'], example: 'error' })
  status!: 'error';

  /** The status's reason phrase in sentence case. */
  @ApiProperty({ description: "The status's reason phrase in sentence case.", example: 'Not found' })
  error!: string;

  /** The exception's own message (ValidationPipe's list), never for a 5xx. */
  @ApiPropertyOptional({
    description: "The exception's own message when it says more than `error` (ValidationPipe's list of messages); never for a 5xx.",
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'Poll 7 does not exist.',
  })
  message?: string | string[];

  /** The pending messages, when there are any. */
  @ApiPropertyOptional({ description: 'The pending flash messages, when there are any.', type: () => [AjaxMessage] })
  messages?: AjaxMessage[];
}

/**
 * The module's error body with `errorFormat: 'problem+json'`: RFC 9457
 * problem details, sent as `application/problem+json`.
 *
 * @example
 * @ApiConflictResponse({ content: { 'application/problem+json': { schema: { $ref: getSchemaPath(AjaxProblemDetails) } } } })
 * @ApiExtraModels(AjaxProblemDetails)
 */
@ApiSchema({
  description:
    "RFC 9457 problem details, as the module answers every error with `errorFormat: 'problem+json'`: the app's own members of a 4xx exception ride as extension members.",
})
export class AjaxProblemDetails {
  /** The problem type: the exception's own absolute URI, else `about:blank`. */
  @ApiProperty({ description: "The problem type: the exception's own `type` when it is an absolute URI, else `about:blank`.", example: 'about:blank' })
  type!: string;

  /** The status's reason phrase as HTTP spells it. */
  @ApiProperty({ description: "The status's reason phrase as HTTP spells it.", example: 'Not Found' })
  title!: string;

  /** The HTTP status. */
  @ApiProperty({ type: 'integer', description: 'The HTTP status.', example: 404 })
  status!: number;

  /** The exception's own message, when it says more than the title. */
  @ApiPropertyOptional({ description: "The exception's own message when it says more than `title`; never for a 5xx.", example: 'Poll 7 does not exist.' })
  detail?: string;

  /** The request's path, without its query. */
  @ApiPropertyOptional({ description: "The request's path, without its query string.", example: '/polls/7' })
  instance?: string;

  /** ValidationPipe's list of messages. */
  @ApiPropertyOptional({ description: "ValidationPipe's list of messages.", type: [String] })
  errors?: string[];

  /** The pending messages, when there are any. */
  @ApiPropertyOptional({ description: 'The pending flash messages, when there are any.', type: () => [AjaxMessage] })
  messages?: AjaxMessage[];
}
