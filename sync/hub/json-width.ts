/**
 * Whether any object in a JSON text has more than `max` members, found in one
 * pass over the text before it is parsed. `JSON.parse` of one object with
 * 170,000 members (2 MiB) takes the hub's only thread for over 100 ms, and
 * counting them afterwards as long again, while every other clinic waits; no
 * request of the protocol needs more than a batch's worth in one object. The
 * text need not be valid JSON (the parse after this judges that): a member
 * is a colon outside a string, inside an object.
 */
export function hasObjectWiderThan(text: string, max: number): boolean {
  // Per open container, innermost last: members so far for an object, -1 for an array.
  const open: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b) open.push(0); // {
    else if (c === 0x5b) open.push(-1); // [
    else if (c === 0x7d || c === 0x5d) open.pop(); // } ]
    else if (c === 0x3a) {
      const top = open.length - 1;
      if (top >= 0 && open[top]! >= 0 && ++open[top]! > max) return true;
    }
  }
  return false;
}
