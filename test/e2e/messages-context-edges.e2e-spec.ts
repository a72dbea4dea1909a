import { jest } from '@jest/globals';
import { BadRequestException, Controller, Get, Injectable, type MiddlewareConsumer, Module, type NestMiddleware, type OnModuleDestroy, Query } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { type JsonMessage, MessagesOutsideRequestError, MessagesService } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

const info = (message: string): JsonMessage => ({ message, tags: 'info' });

/**
 * A connection opened on first use, as pools and clients open theirs: its
 * callbacks run in the async context of whatever opened it, that is the first
 * request that used it, long after that request is over.
 */
class LazyConnection extends EventEmitter {
  private readonly timer = setInterval(() => this.emit('tick'), 2);

  /** Runs `callback` from the connection's own next event, as a client library answers a query. */
  call(callback: () => void): void {
    this.once('tick', callback);
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** The app's service over that connection; MessagesService is what its callbacks use. */
@Injectable()
class InventoryService implements OnModuleDestroy {
  private connection?: LazyConnection;

  constructor(private readonly messages: MessagesService) {}

  /** Adds a message from the connection's callback; resolves with what MessagesService said to a read there. */
  noteFromCallback(text: string): Promise<string> {
    this.connection ??= new LazyConnection();
    return new Promise((resolve) =>
      this.connection!.call(() => {
        this.messages.info(text);
        this.messages.peek().then(
          () => resolve('read'),
          (error: unknown) => resolve(error instanceof MessagesOutsideRequestError ? error.message : String(error)),
        );
      }),
    );
  }

  onModuleDestroy(): void {
    this.connection?.close();
  }
}

@Controller('edges')
class EdgesController {
  constructor(
    private readonly inventory: InventoryService,
    private readonly messages: MessagesService,
  ) {}

  @Get('open')
  async open(): Promise<{ opened: true }> {
    this.messages.info('Opened by this visitor.');
    await this.inventory.noteFromCallback('From the first request’s callback.');
    return { opened: true };
  }

  @Get('later')
  async later(@Query('text') text: string): Promise<{ read: string }> {
    const read = await this.inventory.noteFromCallback(text);
    return { read };
  }

  @Get('refused')
  refused(): { refused: false } {
    return { refused: false };
  }

  @Get('mine')
  mine(): { mine: true } {
    this.messages.info('Added by the handler.');
    return { mine: true };
  }
}

/** A timer queue made at start-up, outside any request: what runs from it has no request. */
const startupQueue: Array<() => void> = [];
const drain = setInterval(() => {
  for (const run of startupQueue.splice(0)) run();
}, 2);
afterAll(() => clearInterval(drain));

/** A Nest middleware that goes on from that queue, as one waiting on a callback-style client does. */
class LosingMiddleware implements NestMiddleware {
  use(_req: unknown, _res: unknown, next: () => void): void {
    startupQueue.push(next);
  }
}

/** A Nest middleware that adds a message, then refuses the request: at once, or after an await. */
@Injectable()
class RefusingMiddleware implements NestMiddleware {
  constructor(private readonly messages: MessagesService) {}

  async use(req: { url?: string }, _res: unknown, next: () => void): Promise<void> {
    this.messages.info('Added by the middleware.');
    if (String(req.url).includes('later')) await new Promise((resolve) => setTimeout(resolve, 5));
    if (String(req.url).includes('refuse')) throw new BadRequestException('Refused by the middleware.');
    next();
  }
}

@Module({ controllers: [EdgesController], providers: [InventoryService] })
class EdgesModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(LosingMiddleware).forRoutes('edges/mine');
    consumer.apply(RefusingMiddleware).forRoutes('edges/refused');
  }
}

describe.each(PLATFORMS)('MessagesService at the edges of a request, on %s', (platform) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ platform, ajax: { global: true }, imports: [EdgesModule] });
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('never gives one visitor a message added by a callback that runs as an earlier, finished request', async () => {
    // The dropped message is logged (once a process): kept out of the test's output.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const first = t.agent();
    const second = t.agent();
    // The first visitor's request opens the connection: its callbacks run as that request from then on.
    const opened = await first.get('/edges/open');
    expect(opened.body).toEqual({ opened: true, messages: [info('Opened by this visitor.'), info('From the first request’s callback.')] });

    // The second visitor's callback runs as the first visitor's finished request: the message is dropped, a read refused.
    const later = await second.get('/edges/later').query({ text: 'For the second visitor.' });
    expect(later.status).toBe(200);
    expect(later.body.read).toMatch(/after that request's response had been sent/);
    expect(later.body.messages).toBeUndefined();

    // Neither visitor ever gets it.
    for (const visitor of [first, second]) {
      const next = await visitor.get('/edges/mine');
      expect(next.body).toEqual({ mine: true, messages: [info('Added by the handler.')] });
    }
  });

  it('runs guards and the handler as their own request after a Nest middleware that lost it', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.http().get('/edges/mine')));
    for (const answer of answers) expect(answer.body).toEqual({ mine: true, messages: [info('Added by the handler.')] });
  });

  // On Fastify, Nest hands the filter of a failure in middleware the raw Node request, not the one the message went to.
  it.each(['refuse', 'refuse-later'])('answers a Nest middleware that added a message and threw with the message in the error body (%s)', async (how) => {
    const visitor = t.agent();
    const refused = await visitor.get(`/edges/refused?${how}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ status: 'error', error: 'Bad request', message: 'Refused by the middleware.', messages: [info('Added by the middleware.')] });
    // Taken by the error body: the visitor's next answer carries only the one its own pass through the middleware added.
    const next = await visitor.get('/edges/refused');
    expect(next.body).toEqual({ refused: false, messages: [info('Added by the middleware.')] });
  });

  it("runs an app's request hook that chains the one it read from the adapter, without calling itself", async () => {
    const adapter = t.app.getHttpAdapter() as unknown as {
      onRequestHook?: (req: unknown, res: unknown, done: () => void) => unknown;
      setOnRequestHook(hook: (req: unknown, res: unknown, done: () => void) => unknown): void;
    };
    const calls: string[] = [];
    for (const name of ['first', 'second']) {
      const previous = adapter.onRequestHook;
      adapter.setOnRequestHook(function chained(this: unknown, req, res, done) {
        calls.push(name);
        return previous ? previous.call(this, req, res, done) : done();
      });
    }
    const answer = await t.http().get('/edges/mine');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ mine: true, messages: [info('Added by the handler.')] });
    expect(calls).toEqual(['second', 'first']);
  });
});
