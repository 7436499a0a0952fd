import { join, normalize, sep } from 'node:path';

/**
 * Maps a URL path onto a file under `root`, or undefined when the path is
 * malformed or would escape it (`..`, encoded slashes, absolute tricks).
 */
export function confinePath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const rootWithSep = root.endsWith(sep) ? root : root + sep;
  const file = normalize(join(root, decoded));
  return file === root || file.startsWith(rootWithSep) ? file : undefined;
}
