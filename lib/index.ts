/**
 * nestjs-ajax: JSON-first guards, exception filter and flash messages for the
 * NestJS endpoints that web pages call with fetch/XHR. This file is the whole
 * public surface.
 */
import './two-builds-warning.js';

export { AjaxModule } from './ajax.module.js';
export type {
  AjaxCsrfOptions,
  AjaxErrorFormat,
  AjaxErrorInfo,
  AjaxMessagesOptions,
  AjaxModuleAsyncOptions,
  AjaxModuleFactoryOptions,
  AjaxModuleOptions,
  AjaxOptionsFactory,
} from './options/ajax-module-options.interface.js';
export { AjaxConfigurationError } from './ajax.errors.js';
export type { AjaxRequest } from './ajax-request.interface.js';

export { AjaxAuthGuard } from './guards/ajax-auth.guard.js';
export { AjaxMethodGuard } from './guards/ajax-method.guard.js';
export { AjaxCsrfGuard } from './guards/ajax-csrf.guard.js';
export { AjaxExceptionFilter } from './filters/ajax-exception.filter.js';
export { AjaxMessagesInterceptor } from './interceptors/ajax-messages.interceptor.js';

export { Ajax, type AjaxOptions } from './decorators/ajax.decorator.js';
export { AllowAnonymous } from './decorators/allow-anonymous.decorator.js';
export { AllowMethods, RequireGet, RequirePost } from './decorators/allow-methods.decorator.js';
export { Messages } from './decorators/messages.decorator.js';

export { MessagesService } from './messages/messages.service.js';
export { MessagesOutsideRequestError, type OutsideRequestReason } from './context/outside-request.error.js';
export type { RequestMessages } from './messages/request-messages.interface.js';
export type { FlashRequest } from './messages/flash-request.interface.js';
export { DEFAULT_LEVEL_TAGS, MessageLevel } from './messages/message-level.js';
export type { AjaxMessage, JsonMessage } from './messages/ajax-message.interface.js';
export type { AppCookies, MaybePromise, MessageStorage, PreviousSession } from './messages/message-storage.interface.js';
export { DEFAULT_PENDING_LIMITS, type PendingLimits } from './messages/pending-limits.js';
export { SessionMessageStorage } from './messages/session-message-storage.js';
export { RedisMessageStorage, type RedisMessageStorageOptions } from './messages/redis/redis-message-storage.js';
export type { IoRedisClientLike, NodeRedisClientLike, RedisClientLike } from './messages/redis/redis-client.js';
export { CookieMessageStorage, type CookieMessageStorageOptions } from './messages/cookie/cookie-message-storage.js';
export type { CookieSignerLike } from './messages/cookie/cookie-signer.js';
export { MessagesUnavailableException } from './messages/messages-unavailable.exception.js';

export { AjaxResponse, type AjaxResponseOptions } from './responses/ajax-response.js';
