import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { invalidInput, payloadTooLarge, unsupportedMediaType } from '../common/errors/domain-error';

/** The most an attachment may weigh (DESIGN.md: at most 20 MB). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
/** Room for the form's other parts and boundaries beyond the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export const tooLarge = () =>
  payloadTooLarge(`The file is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, { maxBytes: MAX_ATTACHMENT_BYTES }, '文件超过20MB，未保存');

/** The client went away mid-request (nobody reads the answer; a 400 keeps it out of the error log). */
export const uploadAborted = () => invalidInput('The upload was interrupted', { field: 'file' }, '上传中断，文件未保存');
const malformedForm = () => invalidInput('Malformed multipart/form-data request', { field: 'file' }, '上传的表单格式有误');

export interface FilePart {
  stream: Readable & { truncated?: boolean };
  fileName: string | undefined;
}

/**
 * Reads a multipart/form-data request as it arrives: the text fields into a map, the one part
 * named `file` handed to `onFile` as a stream (busboy stops it at MAX_ATTACHMENT_BYTES and marks
 * it truncated). When `onFile` fails (a wrong type, a full disk) the rest of the request is read
 * and discarded, so that the client still gets the answer. A malformed form is a 400, and so is
 * a client that goes away mid-request (the caller rolls back either way).
 */
export function receiveMultipart(req: IncomingMessage, onFile: (part: FilePart) => Promise<void>): Promise<{ fields: Record<string, string>; hadFile: boolean }> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    return Promise.reject(unsupportedMediaType('Send the file as multipart/form-data', { contentType: type }, '请以 multipart/form-data 方式上传文件'));
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_ATTACHMENT_BYTES + FORM_OVERHEAD_BYTES) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = Object.create(null);
    let filePart: Promise<void> | null = null;
    let fileError: unknown = null;
    let fileStream: Readable | null = null;
    let settled = false;
    // The file's consumer is stopped and has let go before the caller hears of the failure.
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe();
      fileStream?.destroy(uploadAborted());
      void Promise.resolve(filePart).finally(() => reject(e));
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_ATTACHMENT_BYTES + 1, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12, headerPairs: 20 },
      });
    } catch {
      reject(malformedForm());
      return;
    }
    parser.on('field', (name, value) => {
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') return;
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || filePart) {
        stream.resume();
        return;
      }
      fileStream = stream;
      filePart = onFile({ stream, fileName: info.filename }).catch((e) => {
        fileError = e;
        stream.resume();
      });
    });
    parser.on('error', () => fail(req.complete || !req.destroyed ? malformedForm() : uploadAborted()));
    parser.on('close', () => {
      void (async () => {
        await filePart;
        if (settled) return;
        settled = true;
        if (fileError) reject(fileError);
        else resolve({ fields: { ...fields }, hadFile: filePart !== null });
      })();
    });
    req.on('close', () => {
      if (!req.complete) fail(uploadAborted());
    });
    req.pipe(parser);
  });
}
