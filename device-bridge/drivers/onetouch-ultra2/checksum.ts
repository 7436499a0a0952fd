/**
 * The OneTouch Ultra 2 line checksum: the 16-bit sum of every byte of the
 * line before the space that precedes the four hex digits (checked against
 * glucometerutils otultra2.py and the sample lines in tidepool-org/uploader).
 */
export function ultra2Checksum(body: Uint8Array): number {
  let sum = 0;
  for (const byte of body) sum = (sum + byte) & 0xffff;
  return sum;
}

/** As the meter writes it: four upper-case hex digits. */
export const formatChecksum = (sum: number): string => sum.toString(16).toUpperCase().padStart(4, '0');
