import { ServiceUnavailableException } from '@nestjs/common';

/**
 * A message storage could not be reached in time (e.g. Redis is down). The
 * module answers it with `503 { "status": "error", "error": "Service
 * unavailable" }`; its message, for the log, says what failed.
 *
 * @example
 * throw new MessagesUnavailableException('Redis did not answer RPUSH within 1000 ms');
 */
export class MessagesUnavailableException extends ServiceUnavailableException {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Flash messages are unavailable: ${reason}`, options);
  }
}
