import type { Response } from 'express';
import { contentDisposition } from '../common/content-disposition';

/** Sends a finished PDF: inline (the browser shows it), never cached (it carries personal data). */
export function sendPdf(res: Response, fileName: string, pdf: Buffer): void {
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Length', String(pdf.length));
  res.setHeader('Content-Disposition', contentDisposition('inline', fileName));
  res.setHeader('Cache-Control', 'no-store');
  res.end(pdf);
}
