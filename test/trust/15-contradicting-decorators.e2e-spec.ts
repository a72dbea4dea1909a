import { Controller, Post } from '@nestjs/common';
import { Ajax, AjaxConfigurationError, AllowAnonymous, AllowMethods, RequireGet, RequirePost } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

/**
 * Two decorators on one handler (or one controller) that contradict each
 * other fail when the class is decorated: with Nest's `SetMetadata()` the one
 * written higher up the page won, so `@AllowAnonymous()` above
 * `@Ajax({ loginRequired: true })` let anonymous visitors run the handler.
 */
describe('contradicting decorators on one target', () => {
  const CONTRADICTS = /are both on ProbeController\.vote: one refuses anonymous visitors and the other lets them in.*Keep one of them/;

  it.each([
    [
      '@AllowAnonymous() above @Ajax({ loginRequired: true })',
      () => {
        class ProbeController {
          @AllowAnonymous()
          @Ajax({ loginRequired: true })
          vote(): void {}
        }
        return ProbeController;
      },
    ],
    [
      '@Ajax({ loginRequired: true }) above @AllowAnonymous()',
      () => {
        class ProbeController {
          @Ajax({ loginRequired: true })
          @AllowAnonymous()
          vote(): void {}
        }
        return ProbeController;
      },
    ],
    [
      '@Ajax({ loginRequired: false }) above @Ajax({ loginRequired: true })',
      () => {
        class ProbeController {
          @Ajax({ loginRequired: false })
          @Ajax({ loginRequired: true })
          vote(): void {}
        }
        return ProbeController;
      },
    ],
  ])('%s on a handler throws, naming it', (_name, declare) => {
    expect(declare).toThrow(AjaxConfigurationError);
    expect(declare).toThrow(CONTRADICTS);
  });

  it('on a controller too', () => {
    const declare = () => {
      @AllowAnonymous()
      @Ajax({ loginRequired: true })
      @Controller('probe')
      class ProbeController {}
      return ProbeController;
    };
    expect(declare).toThrow(/are both on ProbeController: one refuses anonymous visitors/);
  });

  it.each([
    [
      '@RequirePost() above @Ajax({ requireGet: true })',
      () => {
        class ProbeController {
          @RequirePost()
          @Ajax({ requireGet: true })
          vote(): void {}
        }
        return ProbeController;
      },
    ],
    [
      "@AllowMethods('PUT') above @RequireGet()",
      () => {
        class ProbeController {
          @AllowMethods('PUT')
          @RequireGet()
          vote(): void {}
        }
        return ProbeController;
      },
    ],
  ])('two lists of methods: %s throws, naming both', (_name, declare) => {
    expect(declare).toThrow(/ProbeController\.vote is restricted to two lists of methods \(.+, and .+\).*Keep one/);
  });

  it('the same setting twice, the methods in another order, or a handler overriding its controller is no contradiction', () => {
    expect(() => {
      @Ajax({ loginRequired: true })
      class ProbeController {
        @AllowAnonymous()
        @AllowAnonymous()
        open(): void {}

        @Ajax({ loginRequired: true, requirePost: true })
        @Ajax({ loginRequired: true })
        @RequirePost()
        closed(): void {}

        @AllowMethods('GET', 'POST')
        @AllowMethods('post', 'GET')
        either(): void {}
      }
      return ProbeController;
    }).not.toThrow();
  });

  it("a subclass may decide otherwise than its parent class (the parent's setting is not on the same target)", () => {
    expect(() => {
      @AllowAnonymous()
      class OpenController {}
      @Ajax({ loginRequired: true })
      class ClosedController extends OpenController {}
      return ClosedController;
    }).not.toThrow();
  });

  describe.each(PLATFORMS)('on %s, a handler open under a controller that requires a log-in', (platform) => {
    @Ajax({ loginRequired: true })
    @Controller('mixed')
    class MixedController {
      @Post('open')
      @AllowAnonymous()
      open(): object {
        return { ran: 'open' };
      }

      @Post('closed')
      closed(): object {
        return { ran: 'closed' };
      }
    }

    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({ platform, controllers: [MixedController] });
    });
    afterAll(() => app.close());

    it('still lets anonymous visitors in there, and only there', async () => {
      const open = await app.agent().post('/mixed/open');
      const closed = await app.agent().post('/mixed/closed');
      expect([open.status, open.body]).toEqual([201, { ran: 'open' }]);
      expect([closed.status, closed.body]).toEqual([401, { status: 'error', error: 'Unauthorized' }]);
    });
  });
});
