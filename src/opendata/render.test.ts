import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipEtag, notModified } from './conditional.js';
import { csvField, NHI_CSV_HEADER, nhiTime, renderCsv, renderGeoJson, spreadsheetText } from './render.js';

const row = {
  code: '5901012345',
  name: '大安"好"藥局, 復興店',
  address: '臺北市大安區復興南路一段1號',
  phone: '(02)27001234',
  adult: 600,
  child: 250,
  updatedAt: new Date('2020-03-15T02:03:04Z'),
  lat: 25.03,
  lng: 121.54,
};

/** What a spreadsheet would evaluate (OWASP's leading characters), a phone like +886-2-… aside. */
const formula = (value: string) =>
  /^\s*[=+\-@]|^[\t\r]/.test(value) && !/^\+[0-9 ()-]*[0-9][0-9 ()-]*$/.test(value);

/** A small RFC 4180 parser, to check that quoting round-trips. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          value += line[i];
          i++;
        }
      }
      out.push(value);
      i++;
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

describe('NHI CSV rendering', () => {
  it("uses NHI's header and time format, quoting only where needed", () => {
    const csv = renderCsv([row, { ...row, code: '5901099999', name: '平安藥局' }]);
    const lines = csv.split('\n');
    expect(lines[0]).toBe(NHI_CSV_HEADER);
    expect(lines[1]).toBe(
      '5901012345,"大安""好""藥局, 復興店",臺北市大安區復興南路一段1號,(02)27001234,600,250,2020/03/15 10:03:04',
    );
    expect(lines[2]).toBe(
      '5901099999,平安藥局,臺北市大安區復興南路一段1號,(02)27001234,600,250,2020/03/15 10:03:04',
    );
    expect(lines[3]).toBe('');
  });

  it('formats 來源資料時間 in Taipei time across midnight', () => {
    expect(nhiTime(new Date('2020-03-14T16:00:00Z'))).toBe('2020/03/15 00:00:00');
    expect(nhiTime(new Date('2020-12-31T15:59:59Z'))).toBe('2020/12/31 23:59:59');
  });

  it('any field text survives quoting', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, address) => {
        fc.pre(!/[\r\n]/.test(name + address));
        const line = renderCsv([{ ...row, name, address }]).split('\n')[1] as string;
        const fields = parseCsvLine(line);
        expect(fields).toHaveLength(7);
        // the text itself, behind a ' only where a spreadsheet would start a formula
        expect(fields[1]).toBe(formula(name) ? `'${name}` : name);
        expect(fields[2]).toBe(formula(address) ? `'${address}` : address);
      }),
    );
    expect(csvField('a\nb')).toBe('"a\nb"');
  });
});

describe('CSV formula injection (OWASP)', () => {
  it("puts a ' before a cell that starts with = + - @, TAB or CR, also after spaces", () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r', ' =', '  @', '\t=']) {
      expect(spreadsheetText(`${lead}HYPERLINK("http://x","y")`)).toBe(`'${lead}HYPERLINK("http://x","y")`);
    }
    const line = renderCsv([
      { ...row, name: '=HYPERLINK("http://x","y")', address: '-1+1', phone: '@A1' },
    ]).split('\n')[1];
    expect(line).toBe(`5901012345,"'=HYPERLINK(""http://x"",""y"")",'-1+1,'@A1,600,250,2020/03/15 10:03:04`);
  });

  it('leaves every other value, and a phone in international form, exactly as it is', () => {
    for (const value of [
      '(02)27001234',
      '02-27001234',
      '+886-2-2700-1234',
      '+886 (2) 2700 1234',
      '臺北市大安區復興南路一段1號',
      '大安"好"藥局, 復興店',
      'a=b',
      '5901012345',
      '',
    ]) {
      expect(spreadsheetText(value)).toBe(value);
    }
    // a + that is not a plain phone number is a formula like any other
    expect(spreadsheetText('+886-2-2700-1234+HYPERLINK("x")')).toBe(`'+886-2-2700-1234+HYPERLINK("x")`);
    expect(spreadsheetText('+A1')).toBe(`'+A1`);
    expect(spreadsheetText('+')).toBe(`'+`);
  });

  it('any value a spreadsheet would evaluate gets the prefix, whatever follows', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string(), (lead, rest) => {
        fc.pre(formula(lead + rest));
        expect(spreadsheetText(lead + rest)).toBe(`'${lead}${rest}`);
      }),
    );
  });
});

describe('GeoJSON rendering', () => {
  it('puts [lng, lat] in the geometry, null where unknown', () => {
    const geo = JSON.parse(renderGeoJson([row, { ...row, code: '5901099999', lat: null, lng: null }]));
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features[0]).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [121.54, 25.03] },
      properties: {
        code: '5901012345',
        name: row.name,
        address: row.address,
        phone: row.phone,
        adult: 600,
        child: 250,
        updatedAt: '2020-03-15T10:03:04+08:00',
      },
    });
    expect(geo.features[1].geometry).toBeNull();
  });
});

describe('conditional requests and encodings', () => {
  const etag = '"abc"';
  const at = new Date('2020-03-15T02:03:04.500Z');
  it('matches If-None-Match weakly and across encodings; it overrides If-Modified-Since', () => {
    expect(notModified({ 'if-none-match': '"abc"' }, etag, at)).toBe(true);
    expect(notModified({ 'if-none-match': 'W/"abc"' }, etag, at)).toBe(true);
    expect(notModified({ 'if-none-match': `"x", ${gzipEtag(etag)}` }, etag, at)).toBe(true);
    expect(notModified({ 'if-none-match': '*' }, etag, at)).toBe(true);
    expect(notModified({ 'if-none-match': '"old"', 'if-modified-since': at.toUTCString() }, etag, at)).toBe(
      false,
    );
  });
  it('honours If-Modified-Since at one-second precision', () => {
    expect(notModified({ 'if-modified-since': at.toUTCString() }, etag, at)).toBe(true);
    expect(notModified({ 'if-modified-since': new Date(at.getTime() - 1000).toUTCString() }, etag, at)).toBe(
      false,
    );
    expect(notModified({ 'if-modified-since': 'yesterday' }, etag, at)).toBe(false);
    expect(notModified({}, etag, at)).toBe(false);
  });
  it('reads Accept-Encoding', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
