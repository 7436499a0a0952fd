/**
 * A narrative (`text.div`, XHTML) with identifiers scrubbed from its text
 * and nothing else left that could carry one: attributes go (a `title` or an
 * `href` can hold a name or a phone number; the root keeps its namespace, as
 * FHIR requires), images and comments go. The structure of tags stays, so a
 * table is still a table.
 */

const xhtmlRoot = '<div xmlns="http://www.w3.org/1999/xhtml">';

const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return named[name.toLowerCase()] ?? whole;
  });
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function scrubNarrative(div: string, scrub: (text: string) => string): string {
  const cleaned = div.replace(/<!--[\s\S]*?-->/g, '').replace(/<img\b[^>]*\/?>(?:\s*<\/img>)?/gi, '');
  let root = true;
  return cleaned
    .split(/(<[^>]*>)/)
    .map((part) => {
      const tag = /^<(\/?)([A-Za-z][\w:-]*)[^>]*?(\/?)>$/.exec(part);
      if (tag) {
        if (root && tag[1] === '') {
          root = false;
          return xhtmlRoot;
        }
        return `<${tag[1]}${tag[2]}${tag[3]}>`;
      }
      // Anything else between tags is text (a stray `<` or `>` included), scrubbed as the reader would see it.
      return part === '' ? '' : escapeText(scrub(decodeEntities(part)));
    })
    .join('');
}
