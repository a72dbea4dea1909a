import { All, Controller, Get, UseGuards } from '@nestjs/common';
import { Ajax, AjaxAuthGuard, AjaxMethodGuard, AllowAnonymous, RequirePost } from '../../lib/index.js';
import { PLATFORMS, startTestApp, type TestApp } from '../fixtures/test-app.js';

@Controller('bare')
class BareGuardsController {
  @Get('private')
  @UseGuards(AjaxAuthGuard)
  private(): object {
    return { secret: true };
  }

  @All('post-only')
  @UseGuards(AjaxMethodGuard)
  @RequirePost()
  postOnly(): object {
    return { posted: true };
  }
}

@Controller('open')
@AllowAnonymous()
@UseGuards(AjaxAuthGuard)
class OpenController {
  @Get()
  open(): object {
    return { open: true };
  }

  @Get('but-this')
  @Ajax({ loginRequired: true })
  notThis(): object {
    return { secret: true };
  }
}

describe.each(PLATFORMS)('on %s', (platform) => {
  describe('the guards', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ platform, controllers: [BareGuardsController, OpenController] });
    });
    afterAll(() => t.close());

    it('answer with the module\'s bodies even where Nest\'s own exception filter renders them', async () => {
      const unauthorized = await t.http().get('/bare/private');
      expect(unauthorized.status).toBe(401);
      expect(unauthorized.body).toEqual({ status: 'error', error: 'Unauthorized' });
      const wrongMethod = await t.http().get('/bare/post-only');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.allow).toBe('POST');
      expect(wrongMethod.body).toEqual({ status: 'error', error: 'Method not allowed' });
    });

    it('let @Ajax({ loginRequired: true }) on a handler beat @AllowAnonymous() on its controller', async () => {
      expect((await t.http().get('/open')).body).toEqual({ open: true });
      const res = await t.http().get('/open/but-this');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ status: 'error', error: 'Unauthorized' });
    });
  });
});
