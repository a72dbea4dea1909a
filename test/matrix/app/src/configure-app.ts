import type { INestApplication } from '@nestjs/common';
import session from 'express-session';

/** What both main.ts and the spec do to an app before it serves: a session. */
export function configureApp(app: INestApplication): INestApplication {
  app.use(session({ secret: process.env.SESSION_SECRET ?? 'consumer-app', resave: false, saveUninitialized: false }));
  return app;
}
