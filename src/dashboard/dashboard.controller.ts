import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators';
import { DashboardAsset, DashboardAssets } from './dashboard-assets';

/**
 * The page itself holds no data (it logs in through the API and keeps its token in
 * sessionStorage), so its files are public. Scripts only from this origin, no inline code.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  page(@Req() req: Request, @Res() res: Response): void {
    send(req, res, this.assets.get('index.html')!, 'no-cache');
  }

  /** Scripts and styles; index.html asks for them with a content hash (?v=), so they may be cached. */
  @Get('assets/:file')
  file(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    const a = file === 'index.html' ? undefined : this.assets.get(file);
    if (!a) throw new NotFoundException('No such dashboard file');
    send(req, res, a, 'public, max-age=86400');
  }
}

function send(req: Request, res: Response, a: DashboardAsset, cacheControl: string): void {
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Content-Type', a.contentType);
  res.setHeader('ETag', a.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  if (req.headers['if-none-match'] === a.etag) {
    res.status(304).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.status(200).end(gzip ? a.gzipped : a.body);
}
