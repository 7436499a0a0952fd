import { fromBase64, fromUtf8, toBase64, utf8 } from '../crypto/bytes';
import { scrubText, type ScrubContext } from './free-text';
import { scrubNarrative } from './narrative';

/**
 * After the rules, every string they left is scrubbed of what looks like an
 * identifier (`scrubText`): notes, string values, extension values, display
 * texts, wherever in the resource they are. Codes, systems and canonical
 * URLs are searched for the patient's own words only, ids and references
 * (which the rules hash) not at all, and nothing a rule handled is touched
 * (a `keep` means keep). A narrative is scrubbed as XHTML; an attachment's text is
 * decoded, scrubbed and encoded again, and any other attachment data
 * (a photo, a PDF) is dropped: it cannot be read for identifiers.
 */

/** Keys whose strings the rules hash (ids, references): left as they are. */
const hashedKeys = new Set(['resourceType', 'id', 'reference', 'fullUrl']);
/** Keys whose strings are codes, systems and URLs: only the patient's own words are looked for there (a SNOMED code is not a phone number). */
const structural = new Set(['system', 'code', 'url', 'profile', 'status', 'gender', 'use', 'contentType', 'language', 'version', 'unit', 'comparator', 'mode', 'method']);

/** Attachment data that is text, and can be scrubbed as such. */
const textual = /^(?:text\/|application\/(?:json|xml|fhir\+json|fhir\+xml|xhtml\+xml))/i;

/** Whether a rule handled this place (it and all under it are left as the rule made them). */
export type HandledCheck = (parent: object, key: string, index: number | undefined) => boolean;

function scrubAttachment(attachment: Record<string, unknown>, scrub: (text: string) => string): void {
  const data = attachment['data'];
  delete attachment['hash'];
  if (typeof data !== 'string') return;
  const contentType = typeof attachment['contentType'] === 'string' ? attachment['contentType'] : '';
  let text: string | undefined;
  try {
    text = textual.test(contentType) ? fromUtf8(fromBase64(data)) : undefined;
  } catch {
    text = undefined; // not base64, or not UTF-8 text: it cannot be checked, so it goes
  }
  if (text === undefined) {
    delete attachment['data'];
    delete attachment['size'];
    return;
  }
  const bytes = utf8(scrub(text));
  attachment['data'] = toBase64(bytes);
  if ('size' in attachment) attachment['size'] = bytes.length;
}

export function sweepStrings(value: Record<string, unknown>, handled: HandledCheck, context: ScrubContext): void {
  const scrub = (text: string) => scrubText(text, context);
  const knownOnly = { ...context, knownOnly: true };
  const visit = (holder: Record<string, unknown>): void => {
    if (typeof holder['contentType'] === 'string' && 'data' in holder && !handled(holder, 'data', undefined)) scrubAttachment(holder, scrub);
    for (const [key, item] of Object.entries(holder)) {
      if (key === 'data' && 'contentType' in holder) continue;
      const items: unknown[] = Array.isArray(item) ? item : [item];
      items.forEach((entry, i) => {
        const index = Array.isArray(item) ? i : undefined;
        if (handled(holder, key, index)) return;
        let next: unknown = entry;
        if (typeof entry === 'string') next = hashedKeys.has(key) ? entry : structural.has(key) ? scrubText(entry, knownOnly) : key === 'div' ? scrubNarrative(entry, scrub) : scrub(entry);
        else if (typeof entry === 'object' && entry !== null) visit(entry as Record<string, unknown>);
        if (next !== entry) {
          if (index === undefined) holder[key] = next;
          else (item as unknown[])[index] = next;
        }
      });
    }
  };
  visit(value);
}
