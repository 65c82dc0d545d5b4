import net from 'node:net';

/** One request of a load flow. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  /** The body as text; '' when the connection was made with `decode: false`. */
  body: string;
  /** The body's length in bytes, as received. */
  bytes: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * A load generator's HTTP/1.1 keep-alive connection: one request at a time on one socket, the
 * answer framed by its Content-Length (or chunked). Node's `http.request` costs ≈ 60 µs of the
 * load generator's CPU per exchange, which on a 2-core box is taken from the server under test
 * (bench/RESULTS.md (b)); writing the request bytes and cutting the answer out of the socket's
 * buffer costs a fraction of that, as autocannon's own client does.
 */
export class RawConnection {
  private socket: net.Socket | null = null;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Decode the bodies as UTF-8 (flows read them); a download bench only counts their bytes. */
    private readonly decode = true,
    /** The loopback source address to send from (127.0.0.0/8), for per-address limits. */
    private readonly localAddress?: string,
  ) {}

  request(req: RawRequest): Promise<RawResponse> {
    if (this.waiting) return Promise.reject(new Error('one request at a time per connection'));
    const body = req.body === undefined ? null : Buffer.from(req.body, 'utf8');
    let head = `${req.method} ${req.path} HTTP/1.1\r\nhost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(req.headers ?? {})) head += `${name}: ${value}\r\n`;
    head += `content-length: ${body?.length ?? 0}\r\n\r\n`;
    const socket = this.connected();
    return new Promise<RawResponse>((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : head);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connected(): net.Socket {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      ...(this.localAddress ? { localAddress: this.localAddress } : {}),
    });
    this.buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.answer();
    });
    const fail = (error: Error) => {
      this.socket = null;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
    this.socket = socket;
    return socket;
  }

  /** Cuts one whole response out of the buffer, if it has arrived. */
  private answer(): void {
    const end = this.buffered.indexOf(CRLF2);
    if (end < 0 || !this.waiting) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const start = end + 4;
    let body: Buffer;
    let rest: number;
    const length = /\r\ncontent-length:\s*(\d+)/.exec(lower);
    if (length) {
      rest = start + Number(length[1]);
      if (this.buffered.length < rest) return;
      body = this.buffered.subarray(start, rest);
    } else if (lower.includes('\r\ntransfer-encoding: chunked')) {
      const parts: Buffer[] = [];
      let at = start;
      for (;;) {
        const lineEnd = this.buffered.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = Number.parseInt(this.buffered.toString('latin1', at, lineEnd), 16);
        if (this.buffered.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          rest = lineEnd + 4;
          break;
        }
        parts.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      rest = start;
      body = Buffer.alloc(0);
    }
    this.buffered = this.buffered.subarray(rest);
    const w = this.waiting;
    this.waiting = null;
    w.resolve({ status, body: this.decode ? body.toString('utf8') : '', bytes: body.length });
  }
}
