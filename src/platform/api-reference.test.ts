import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  type OpenApiDocument,
  renderApiReference,
  renderDocumentPage,
  shapeOf,
} from './api-reference.js';

const doc: OpenApiDocument = {
  info: { title: 'T <x>', version: '1' },
  paths: {
    '/api/v1/orders/lookup': {
      post: {
        tags: ['public'],
        description: 'Look up <orders>.',
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['nationalId'],
                properties: {
                  nationalId: { type: 'string', maxLength: 20, description: 'the ID' },
                  phoneLast3: { type: 'string', pattern: '^[0-9]{3}$' },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Default Response',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { status: { anyOf: [{ const: 'paid' }, { const: 'collected' }] } },
                },
              },
            },
          },
        },
      },
    },
    '/api/v1/pharmacies/{code}/stock': {
      put: {
        tags: ['partners'],
        security: [{ bearer: [] }],
        parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

describe('the API reference page', () => {
  it('shows every operation of the document under its tag, with its body and answers as types', () => {
    const html = renderApiReference(doc);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>API reference — T &#60;x&#62;</title>');
    expect(html).toContain('<h2 id="tag-public">public</h2>');
    expect(html).toContain('<h2 id="tag-partners">partners</h2>');
    expect(html).toContain('<span class="method post">POST</span> <code>/api/v1/orders/lookup</code>');
    expect(html).toContain(
      '<span class="method put">PUT</span> <code>/api/v1/pharmacies/{code}/stock</code>',
    );
    expect(html).toContain('Look up &#60;orders&#62;.');
    expect(html).toContain('nationalId: string (length 0…20);  // the ID');
    expect(html).toContain('phoneLast3?: string (/^[0-9]{3}$/);');
    expect(html).toContain('status?: &#34;paid&#34; | &#34;collected&#34;;');
    expect(html).toContain('Needs <code>Authorization: Bearer …</code>');
    expect(html).not.toMatch(/<script/i);
  });

  it('writes schemas like TypeScript types, arrays of unions in brackets', () => {
    expect(shapeOf(doc, { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'null' }] } })).toBe(
      '(string | null)[]',
    );
    expect(shapeOf(doc, { type: 'integer', minimum: 1, maximum: 100 })).toBe('integer (1…100)');
  });

  it('escapes every character that could end an attribute or start markup', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe(
      '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;',
    );
    expect(renderDocumentPage(doc)).toContain('<title>OpenAPI document — T &#60;x&#62;</title>');
  });
});
