/**
 * The API reference at /docs: the OpenAPI document (generated from the route schemas) rendered as
 * one plain, accessible HTML page — headings per tag and operation, tables of parameters, the
 * shapes of bodies and answers written like TypeScript types — with no script at all. It
 * replaces the Swagger UI, which failed axe on every page (unlabelled inputs, nested
 * interactive controls, an image without alt, contrast). The document itself stays at
 * /docs/json for tools (browsers get it wrapped in a titled page with a language).
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  description?: string;
  additionalProperties?: boolean | Schema;
  $ref?: string;
};

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  security?: Record<string, unknown>[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  info: { title: string; description?: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref?.replace(/^#\/components\/schemas\//, '');
  return ref ? (doc.components?.schemas?.[ref] ?? {}) : schema;
}

function limits(s: Schema): string {
  const parts: string[] = [];
  if (s.format) parts.push(s.format);
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? ''}…${s.maximum ?? ''}`);
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    parts.push(`length ${s.minLength ?? 0}…${s.maxLength ?? ''}`);
  }
  if (s.pattern) parts.push(`/${s.pattern}/`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A schema written as a TypeScript-like type, indented, with descriptions as comments. */
export function shapeOf(doc: OpenApiDocument, raw: Schema, depth = 0): string {
  const s = resolve(doc, raw);
  if (depth > 12) return '…';
  const pad = '  '.repeat(depth);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map((v) => shapeOf(doc, v, depth)).join(' | ');
  if (s.allOf) return s.allOf.map((v) => shapeOf(doc, v, depth)).join(' & ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `${s.items ? wrap(shapeOf(doc, s.items, depth)) : 'unknown'}[]`;
  if (type === 'object' || s.properties) {
    const required = new Set(s.required ?? []);
    const lines = Object.entries(s.properties ?? {}).map(([name, prop]) => {
      const p = resolve(doc, prop);
      const note = p.description ? `  // ${p.description.replace(/\s+/g, ' ')}` : '';
      return `${pad}  ${name}${required.has(name) ? '' : '?'}: ${shapeOf(doc, prop, depth + 1)};${note}`;
    });
    if (lines.length === 0) return '{}';
    return `{\n${lines.join('\n')}\n${pad}}`;
  }
  return `${type ?? 'unknown'}${limits(s)}`;
}

const wrap = (shape: string) => (shape.includes(' | ') ? `(${shape})` : shape);

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

function operationHtml(doc: OpenApiDocument, method: string, path: string, op: Operation): string {
  const id = `op-${method}-${slug(path)}`;
  const parts = [
    `<article class="operation" aria-labelledby="${id}">`,
    `<h3 id="${id}"><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>`,
  ];
  const text = op.description ?? op.summary;
  if (text) parts.push(`<p class="description">${escapeHtml(text)}</p>`);
  if (op.security?.length) parts.push('<p class="muted">Needs <code>Authorization: Bearer …</code>.</p>');
  const params = op.parameters ?? [];
  if (params.length) {
    parts.push(
      '<table><caption class="muted">Parameters</caption><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">type</th><th scope="col">description</th></tr></thead><tbody>',
      ...params.map(
        (p) =>
          `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? '' : ' <span class="muted">(optional)</span>'}</td><td>${escapeHtml(p.in)}</td><td><code>${escapeHtml(p.schema ? shapeOf(doc, p.schema) : '')}</code></td><td>${escapeHtml(p.description ?? p.schema?.description ?? '')}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) parts.push('<h4>Body</h4>', `<pre><code>${escapeHtml(shapeOf(doc, body))}</code></pre>`);
  const responses = Object.entries(op.responses ?? {});
  if (responses.length) {
    parts.push('<h4>Answers</h4><dl class="responses">');
    for (const [status, response] of responses) {
      const schema = response.content?.['application/json']?.schema;
      parts.push(`<dt>${escapeHtml(status)}</dt>`);
      parts.push(
        `<dd>${response.description && response.description !== 'Default Response' ? `<p>${escapeHtml(response.description)}</p>` : ''}${schema ? `<pre><code>${escapeHtml(shapeOf(doc, schema))}</code></pre>` : ''}</dd>`,
      );
    }
    parts.push('</dl>');
  }
  parts.push('</article>');
  return parts.join('\n');
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/static/reference.css">
</head>
<body>
${content}
</body>
</html>
`;
}

/** The whole reference page: operations grouped by their first tag, in the document's order. */
export function renderApiReference(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(doc, method, path, op)]);
    }
  }
  const tags = [...byTag.keys()];
  const content = [
    '<a class="skip" href="#main">Skip to the operations</a>',
    '<header>',
    `<h1>${escapeHtml(doc.info.title)} — API ${escapeHtml(doc.info.version)}</h1>`,
    doc.info.description ? `<p>${escapeHtml(doc.info.description)}</p>` : '',
    '<p>The OpenAPI document: <a href="/docs/json">/docs/json</a>. Errors answer <code>{"error": {"code", "message", …}}</code> with a 4xx or 5xx status.</p>',
    '</header>',
    `<nav aria-label="Groups"><ul>${tags.map((t) => `<li><a href="#tag-${slug(t)}">${escapeHtml(t)}</a></li>`).join('')}</ul></nav>`,
    '<main id="main">',
    ...tags.map(
      (t) =>
        `<section aria-labelledby="tag-${slug(t)}"><h2 id="tag-${slug(t)}">${escapeHtml(t)}</h2>\n${(byTag.get(t) ?? []).join('\n')}</section>`,
    ),
    '</main>',
  ].join('\n');
  return page(`API reference — ${doc.info.title}`, content);
}

/** The OpenAPI document for a browser: a titled page in a language, the JSON in it as text. */
export function renderDocumentPage(doc: OpenApiDocument): string {
  return page(
    `OpenAPI document — ${doc.info.title}`,
    `<main><h1>OpenAPI document</h1><p><a href="/docs">Back to the API reference</a>. Tools get this as <code>application/json</code>.</p><pre><code>${escapeHtml(JSON.stringify(doc, null, 2))}</code></pre></main>`,
  );
}
