import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response (helmet: HSTS, nosniff, frame and referrer policies, a
 * same-origin content security policy; pages that need a stricter one, like the dashboard, set
 * their own), and `Cache-Control: no-store` on every API answer, since any of them may carry
 * personal data (names, identity numbers, phones).
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'frame-ancestors': ["'none'"], 'form-action': ["'self'"] },
    },
    crossOriginEmbedderPolicy: false,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
    }
    headers(req, res, next);
  };
}
