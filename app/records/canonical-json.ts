/**
 * The single serialisation every hash is computed over. It must give the
 * same bytes for the same data on every runtime and after any storage round
 * trip, so: object keys sorted (by UTF-16 code unit, as JS sorts), no
 * whitespace, and anything JSON cannot represent faithfully is refused
 * rather than silently changed (JSON.stringify would turn NaN into null and
 * drop an array's undefined into null, so the stored entry would no longer
 * hash to what was signed). `undefined` object properties are omitted, as
 * they vanish on any JSON round trip anyway.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, []);
}

/**
 * Hot path: verifying 100k entries serialises 100k events, so this avoids
 * building paths or per-node arrays. `ancestors` is the current nesting
 * (a handful deep), searched linearly to refuse cycles.
 */
function serialise(value: unknown, ancestors: object[]): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      // JSON.stringify already prints the shortest round-tripping form, -0 as 0.
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (ancestors.includes(value)) throw new TypeError('canonicalJson: cycle');
      ancestors.push(value);
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) throw new TypeError('canonicalJson: undefined array item');
          out += (i === 0 ? '' : ',') + serialise(item, ancestors);
        }
        out += ']';
      } else {
        const prototype: unknown = Object.getPrototypeOf(value);
        // A Date, Map or class instance has no faithful JSON form of its own
        // keys (a Date would become {}), so only plain data is accepted.
        if (prototype !== Object.prototype && prototype !== null) throw new TypeError('canonicalJson: not a plain object');
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record).sort();
        out = '{';
        let first = true;
        for (const key of keys) {
          const member = record[key];
          if (member === undefined) continue;
          out += (first ? '' : ',') + quote(key) + ':' + serialise(member, ancestors);
          first = false;
        }
        out += '}';
      }
      ancestors.pop();
      return out;
    }
    default:
      // undefined at the top level, functions, symbols, bigints.
      throw new TypeError(`canonicalJson: ${typeof value} is not JSON`);
  }
}

/** Nothing JSON would escape: no quote, backslash, control character or surrogate. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: JSON escapes them.
const needsNoEscape = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JSON.stringify of a string, skipping its call for the common plain case (ids, codes, times). */
function quote(text: string): string {
  return needsNoEscape.test(text) ? `"${text}"` : JSON.stringify(text);
}
