const newline = 10;

/**
 * One key per row (a clinic number, a national ID, phone digits), kept as a
 * single text: "\n", then each row's key followed by "\n". A native
 * `indexOf` over that text finds keys by their start, whole or anywhere
 * (which a term index cannot do without indexing every substring) in about
 * half a millisecond for 100,000 keys on a slow machine, and building it is
 * one string append per row, so loading a snapshot needs no sort and no
 * per-key objects.
 */
export class KeyColumn {
  private text = '\n';
  /** Where each row's key begins in `text`. */
  private starts: number[] = [];

  /** Adds the key of the next row ('' when the row has none). */
  append(key: string): void {
    this.starts.push(this.text.length);
    this.text += `${key}\n`;
  }

  keyAt(row: number): string {
    const start = this.starts[row];
    if (start === undefined) return '';
    return this.text.slice(start, this.text.indexOf('\n', start));
  }

  clear(): void {
    this.text = '\n';
    this.starts = [];
  }

  /** The row whose key spans `offset`: the last row starting at or before it. */
  private rowAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Rows whose key starts with `prefix`, and whether it is the whole key. */
  findPrefix(prefix: string): { row: number; whole: boolean; keyLength: number }[] {
    if (prefix === '' || prefix.includes('\n')) return [];
    const found: { row: number; whole: boolean; keyLength: number }[] = [];
    // Searching for the prefix and then checking for the row break before it
    // is faster than searching for "\n" + prefix: "\n" is everywhere.
    for (let at = this.text.indexOf(prefix); at >= 0; at = this.text.indexOf(prefix, at + 1)) {
      if (this.text.charCodeAt(at - 1) !== newline) continue;
      const keyLength = this.text.indexOf('\n', at) - at;
      found.push({ row: this.rowAt(at), whole: keyLength === prefix.length, keyLength });
    }
    return found;
  }

  /** Rows whose key is exactly `key`. */
  findWhole(key: string): number[] {
    if (key === '' || key.includes('\n')) return [];
    const rows: number[] = [];
    const needle = `\n${key}\n`;
    for (let at = this.text.indexOf(needle); at >= 0; at = this.text.indexOf(needle, at + 1)) rows.push(this.rowAt(at + 1));
    return rows;
  }

  /** Rows whose key contains `part`, and whether the key ends with it. */
  findContaining(part: string): { row: number; endsWith: boolean }[] {
    if (part === '' || part.includes('\n')) return [];
    const found = new Map<number, boolean>();
    for (let at = this.text.indexOf(part); at >= 0; at = this.text.indexOf(part, at + 1)) {
      const row = this.rowAt(at);
      found.set(row, (found.get(row) ?? false) || this.text.charAt(at + part.length) === '\n');
    }
    return Array.from(found, ([row, endsWith]) => ({ row, endsWith }));
  }
}
