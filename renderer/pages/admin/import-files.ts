import type { DataClient } from '../../data-client/data-client';

/**
 * Hands the chosen files to the data worker, which reads them as it goes: as
 * text (UTF-8), in pieces of at most `pieceChars` (the contract's limit per
 * call), never the whole of a large file in the page's memory at once.
 * `onProgress` counts bytes read, for the progress bar.
 */
export const pieceChars = 512 * 1024;

export async function sendImportFiles(data: Pick<DataClient, 'call'>, files: readonly File[], onProgress: (done: number, total: number) => void): Promise<void> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  await data.call('import.open', { files: files.map((file) => ({ name: file.name, size: file.size })) });
  let done = 0;
  for (const [index, file] of files.entries()) {
    const reader = file.stream().getReader();
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    let lastSent = false;
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (value !== undefined) {
        done += value.byteLength;
        pending += decoder.decode(value, { stream: true });
      }
      if (ended) pending += decoder.decode();
      while (pending.length >= pieceChars || (ended && pending.length > 0)) {
        const piece = pending.slice(0, pieceChars);
        pending = pending.slice(piece.length);
        lastSent = ended && pending.length === 0;
        await data.call('import.append', { file: index, text: piece, last: lastSent });
      }
      if (ended) break;
      onProgress(done, total);
    }
    // An empty file, or one whose text ended with a full piece, still ends.
    if (!lastSent) await data.call('import.append', { file: index, text: '', last: true });
    onProgress(done, total);
  }
}
