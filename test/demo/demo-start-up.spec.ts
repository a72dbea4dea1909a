import { createDemoApp } from '../../demo/create-demo-app.js';
import { demoPlatform } from '../../demo/http-platform.js';

describe('the demo start-up checks', () => {
  it('runs on Express unless PLATFORM says otherwise', () => {
    expect(demoPlatform(undefined)).toBe('express');
    expect(demoPlatform('')).toBe('express');
    expect(demoPlatform('express')).toBe('express');
    expect(demoPlatform('fastify')).toBe('fastify');
  });

  it('refuses an unknown PLATFORM, naming the accepted ones', () => {
    expect(() => demoPlatform('Fastify')).toThrow('PLATFORM=Fastify is not a platform of the demo: set PLATFORM to express or fastify (default express).');
  });

  it('on Fastify, refuses a SESSION_SECRET that @fastify/session would refuse, saying which setting it is', async () => {
    await expect(createDemoApp({ logger: false, platform: 'fastify', sessionSecret: 'too short' })).rejects.toThrow(
      'On Fastify, SESSION_SECRET must be at least 32 characters long',
    );
  });
});
