/** HTTP content negotiation and conditional requests for the open data (RFC 9110 §8.8, §13). */

/** Whether `Accept-Encoding` allows gzip (present and not `q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip' && coding?.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** The opaque part of an entity tag, without `W/`, quotes or our encoding suffix. */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '').replace(/-gz$/, '');
}

/**
 * Whether the client's copy is current: `If-None-Match` decides when present (weak comparison,
 * either encoding of the same data matches); otherwise `If-Modified-Since` at one-second precision.
 */
export function notModified(
  headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined },
  etag: string,
  lastModified: Date,
): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    const ours = opaque(etag);
    return inm.split(',').some((tag) => opaque(tag) === ours);
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  if (Number.isNaN(since)) return false;
  return Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** The validator of the gzip encoding of a representation whose identity validator is `etag`. */
export function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}-gz"`;
}
