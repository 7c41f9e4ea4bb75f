import type { FastifyReply } from 'fastify';
import { contentDisposition } from '../common/content-disposition';

/** Sends a finished PDF: inline (the browser shows it), never cached (it carries personal data). */
export function sendPdf(res: FastifyReply, fileName: string, pdf: Buffer): void {
  void res
    .code(200)
    .headers({ 'Content-Type': 'application/pdf', 'Content-Length': String(pdf.length), 'Content-Disposition': contentDisposition('inline', fileName), 'Cache-Control': 'no-store' })
    .send(pdf);
}
