import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { AgentflowError, ERROR_CODES } from '../errors.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/**
 * Undoes `Content-Encoding` with the same size cap as the raw body, so a small compressed body
 * cannot expand into an unbounded one (a gzip bomb stops at `maxBytes` and answers 413).
 * Decompression runs on the libuv pool, off the event loop.
 */
export async function decodeContentEncoding(body: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return body;
  if (coding !== 'gzip' && coding !== 'deflate') {
    throw new AgentflowError(ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 415, `unsupported Content-Encoding '${coding}': use gzip, deflate or none`);
  }
  try {
    return await (coding === 'gzip' ? gunzipAsync : inflateAsync)(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AgentflowError(ERROR_CODES.PAYLOAD_TOO_LARGE, 413, `body exceeds ${maxBytes} bytes after ${coding} decompression`);
    }
    throw new AgentflowError(ERROR_CODES.BAD_REQUEST, 400, `invalid ${coding} body: ${(err as Error).message}`, undefined, { cause: err });
  }
}
