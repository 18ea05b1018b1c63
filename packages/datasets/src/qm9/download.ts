import { fail } from '../internal/checks.js';

/** sha256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  const { createReadStream } = await import('node:fs');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Writes `data` to `path` atomically: a temporary file in the same directory, then rename. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const fs = await import('node:fs/promises');
  const { randomUUID } = await import('node:crypto');
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Downloads `url` to `path` without ever leaving a partial file at `path`: the body streams into a
 * temporary file beside it while its sha256 is computed; the download is rejected (and the temporary
 * file removed) on an HTTP error, a body shorter than Content-Length (truncated), a connection dropped
 * mid-body, a sha256 other than `expectedSha256` (when given) or a body `accept` rejects (checked on the
 * first 64 KiB); only then is it renamed into place. Returns the body's sha256 and size.
 */
export async function downloadAtomic(
  url: string,
  path: string,
  expectedSha256: string | undefined,
  accept: (head: string) => string | null,
  where: string,
): Promise<{ sha256: string; bytes: number }> {
  const fs = await import('node:fs/promises');
  const { createHash, randomUUID } = await import('node:crypto');
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    fail(`${where}: could not download ${url}: ${(e as Error).message}${(e as Error).cause ? ` (${String((e as Error).cause)})` : ''}`);
  }
  if (!response.ok || response.body === null) fail(`${where}: downloading ${url} failed with HTTP ${response.status} ${response.statusText}`);
  const declared = response.headers.get('content-length');
  const expectedBytes = declared === null ? undefined : Number(declared);
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  const hash = createHash('sha256');
  let bytes = 0;
  let head = '';
  const file = await fs.open(tmp, 'w');
  try {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        if (head.length < 65536) head += Buffer.from(chunk).toString('utf8');
        bytes += chunk.length;
        await file.write(chunk);
      }
    } catch (e) {
      fail(`${where}: download of ${url} was interrupted after ${bytes} bytes${expectedBytes === undefined ? '' : ` of ${expectedBytes}`} (truncated: ${(e as Error).message})`);
    } finally {
      await file.close();
    }
    if (expectedBytes !== undefined && bytes !== expectedBytes) fail(`${where}: download of ${url} is truncated: got ${bytes} bytes, Content-Length says ${expectedBytes}`);
    const sha256 = hash.digest('hex');
    if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
      fail(`${where}: checksum mismatch for ${url}: expected sha256 ${expectedSha256}, got ${sha256} (${bytes} bytes); the file was not cached`);
    }
    const rejected = accept(head);
    if (rejected !== null) fail(`${where}: ${url} does not look like the expected file: ${rejected}; the file was not cached`);
    await fs.rename(tmp, path);
    return { sha256, bytes };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
