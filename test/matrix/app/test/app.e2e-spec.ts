import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module.js';
import { configureApp } from '../src/configure-app.js';

describe('AppModule with nestjs-ajax (e2e)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: false }));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers an anonymous vote with a JSON 401', async () => {
    const res = await request(app.getHttpServer()).post('/polls/vote').send({ choice: 'red' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBeDefined();
    expect(res.body).toEqual({ status: 'error', error: 'Unauthorized' });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const res = await request(app.getHttpServer()).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 'error', error: 'Not found', message: 'Cannot GET /nowhere' });
  });

  it('signs in with a message, refuses a GET vote with a 405 and records a vote with its message', async () => {
    const visitor = request.agent(app.getHttpServer());
    const login = await visitor.post('/account/login');
    expect(login.status).toBe(201);
    expect(login.body).toEqual({ signedIn: true, success: true, messages: [{ message: 'Welcome back, ada.', tags: 'success' }] });

    const wrongMethod = await visitor.get('/polls/vote');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect(wrongMethod.body).toEqual({ status: 'error', error: 'Method not allowed' });

    const vote = await visitor.post('/polls/vote').send({ choice: 'red' });
    expect(vote.status).toBe(201);
    expect(vote.body).toEqual({ votes: 1, messages: [{ message: 'Voted red.', tags: 'success' }] });
  });

  it('keeps a message pending past a handler that writes its own response', async () => {
    const visitor = request.agent(app.getHttpServer());
    await visitor.post('/account/login');
    const raw = await visitor.get('/account/raw');
    expect(raw.body).toEqual({ raw: true });
    const me = await visitor.get('/account/me');
    expect(me.body).toEqual({ userId: 'ada', messages: [{ message: 'Saved for later.', tags: 'info' }] });
  });
});
