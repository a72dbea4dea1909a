// Compiled by `npm run typecheck`, never run: an Express request (with
// express-session's and passport-style additions) must fit every option that
// takes the module's request type, so users keep their own request type.
import type { Request } from 'express';
import 'express-session';
import { AjaxModule, type AjaxRequest } from '../../lib/index.js';

declare const expressRequest: Request;

export const fits: AjaxRequest = expressRequest;

export const module = AjaxModule.forRoot({
  isAuthenticated: (req: Request) => Boolean(req.session.id && req.headers.cookie),
  errorBody: (info, req: Request) => ({ status: info.status, path: req.path }),
});
