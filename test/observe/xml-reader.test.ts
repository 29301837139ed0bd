import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { child, parseXml, pathText, textOf } from '../../effects/observe/parsers/xml-reader.ts';
import { real, realFiles } from './fixtures.ts';

describe('the XML reader', () => {
  it.each(realFiles('d_nvidia_smi_xml'))('reads the real capture %s', (file) => {
    const parsed = parseXml(real(file));
    expect(parsed.ok && parsed.value.name).toBe('nvidia_smi_log');
  });

  it('decodes the predefined entities and character references in text and attributes', () => {
    const parsed = parseXml('<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "a.dtd">\n<!-- note -->\n<a k="x &amp; &quot;y&quot;">&lt;b&gt; &apos;&#65;&#x42;&#x1F600;<![CDATA[<raw&>]]></a>\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.attributes).toEqual({ k: 'x & "y"' });
    expect(textOf(parsed.value)).toBe("<b> 'AB\u{1F600}<raw&>");
  });

  it('reads self-closing elements, single quotes and a DOCTYPE with an internal subset', () => {
    const parsed = parseXml("<!DOCTYPE r [ <!ELEMENT r ANY> ]>\n<r><p a='1'/><q>t</q></r>");
    expect(parsed.ok && pathText(parsed.value, 'q')).toBe('t');
    expect(parsed.ok && child(parsed.value, 'p')?.attributes).toEqual({ a: '1' });
  });

  it.each([
    ['<a>\n<b>\n</a>', 3, /closing tag <\/a> does not match <b> opened on line 2/],
    ['<a>\n<b></b>\n', 3, /<a> opened on line 1 is never closed/],
    ['<a></a>\n<b/>', 2, /a second root element <b>/],
    ['junk\n<a/>', 1, /text "junk" outside the root element/],
    ['<a>\nR&D</a>', 2, /"&" that does not start an entity/],
    ['<a>&nbsp;</a>', 1, /unknown entity &nbsp;/],
    ['<a>&#0;</a>', 1, /not a valid character/],
    ['<a b="1" b="2"/>', 1, /attribute b appears twice/],
    ['<a b=1/>', 1, /not quoted/],
    ['<a>\n<!-- open', 2, /comment is never closed/],
    ['<a>\n</b>', 2, /does not match/],
    ['</a>', 1, /without an opening tag/],
    ['\n\n<a x="<"/>', 3, /"<" inside the value/],
  ])('rejects %j at line %i', (text, line, message) => {
    const parsed = parseXml(text);
    expect(parsed).toMatchObject({ ok: false, line });
    expect(!parsed.ok && parsed.message).toMatch(message);
    expect(!parsed.ok && parsed.message).toMatch(new RegExp(`^line ${line}: `));
  });

  it('rejects an empty document', () => {
    expect(parseXml(' \n')).toMatchObject({ ok: false });
  });

  test.prop([fc.string({ maxLength: 400 })])('never throws on arbitrary text, and a failure names a line inside it', (text) => {
    const parsed = parseXml(text);
    if (!parsed.ok && parsed.line !== null) {
      expect(parsed.line).toBeGreaterThanOrEqual(1);
      expect(parsed.line).toBeLessThanOrEqual(text.split('\n').length);
    }
  });

  const xmlish = fc.array(fc.constantFrom('<a>', '</a>', '<b x="1">', '</b>', '<c/>', 'text', '&amp;', '&bad;', '<!--c-->', '<?p?>', '\n', '<![CDATA[x]]>', '"', '<'), { maxLength: 30 });
  test.prop([xmlish])('never throws on XML-like token soup', (tokens) => {
    const parsed = parseXml(tokens.join(''));
    expect(typeof parsed.ok).toBe('boolean');
  });

  test.prop([fc.string({ unit: fc.constantFrom('a', 'b', '<', '>', '&', ';', '"', "'", ' ', '\n'), maxLength: 60 })])('round-trips any text through escaping', (value) => {
    const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const parsed = parseXml(`<r a="${escaped}">${escaped}</r>`);
    expect(parsed.ok && parsed.value.attributes.a).toBe(value);
    expect(parsed.ok && parsed.value.children.map((n) => (n.kind === 'text' ? n.text : '')).join('')).toBe(value);
  });
});
