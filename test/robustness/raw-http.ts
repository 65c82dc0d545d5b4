import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RawAnswer {
  /** 0 when the server closed the connection without a parsable status line. */
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `request` (the whole HTTP/1.1 request, request line included) byte for byte over a
 * fresh TCP connection and reads until the server closes it: no client normalises the path
 * (`..`, `%2e%2e`, `//`, `\`, raw bytes above 0x7f stay as they are).
 */
export function rawExchange(
  baseUrl: string,
  request: string | Buffer,
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer arrived (the server closing with unread bytes) is still an answer.
      if (error.code === 'ECONNRESET' && chunks.length > 0) resolve(parseAnswer(Buffer.concat(chunks)));
      else reject(error);
    });
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks))));
    socket.write(request);
  });
}

/** A GET of `path` sent verbatim, with `Connection: close`. */
export function rawGet(
  baseUrl: string,
  path: string | Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const head = Buffer.concat([
    Buffer.from('GET '),
    typeof path === 'string' ? Buffer.from(path, 'latin1') : path,
    Buffer.from(
      ` HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('')}\r\n`,
    ),
  ]);
  return rawExchange(baseUrl, head);
}

export interface Stalled {
  /** Resolves when the server closes the socket: what it wrote, and how long after the bytes were sent. */
  closed: Promise<{ afterMs: number; received: string }>;
  /** Sends more bytes (the rest of the body). */
  send(bytes: string): void;
  destroy(): void;
}

/** Opens a socket, writes `bytes` (the start of a request, or nothing) and then stalls. */
export async function stall(baseUrl: string, bytes: string): Promise<Stalled> {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect({ host: hostname, port: Number(port) });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  let startedAt = performance.now();
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) => {
    socket.on('error', () => undefined);
    socket.on('close', () =>
      resolve({ afterMs: performance.now() - startedAt, received: Buffer.concat(chunks).toString('utf8') }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      startedAt = performance.now();
      if (bytes === '') resolve();
      else socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  });
  return { closed, send: (more) => socket.write(more), destroy: () => socket.destroy() };
}

function parseAnswer(raw: Buffer): RawAnswer {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = end < 0 ? Buffer.alloc(0) : raw.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  if ((headers['transfer-encoding'] ?? '').includes('chunked')) body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
