import { describe, expect, it } from 'vitest';
import { scrubNarrative } from './narrative';

const upper = (text: string) => text.replace(/Banda/g, 'X');

describe('a narrative scrubbed as XHTML', () => {
  it('scrubs the text between tags, drops attributes, images and comments, and keeps the structure', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml" title="Banda"><table><tr><td class="n">Mary Banda</td><td>&#66;anda &amp; co</td></tr></table><img src="x.png"/><!-- Banda --><br/></div>';
    expect(scrubNarrative(div, upper)).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><table><tr><td>Mary X</td><td>X &amp; co</td></tr></table><br/></div>');
  });
});
