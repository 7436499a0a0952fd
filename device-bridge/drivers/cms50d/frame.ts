/**
 * The byte layout of one Contec CMS50D+ live-mode frame (older firmware,
 * 19200 baud 8O1): five bytes at 60 frames a second, no checksum. Bit 7 is
 * the only framing there is: set in byte 0, clear in bytes 1-4, so a frame
 * start can be found again after noise. See README.md for the sources.
 */
export const FRAME_LENGTH = 5;

/** SpO2 sent while the device has no value (unverified marker, see README). */
export const SPO2_NONE = 127;
/** Pulse rate sent while the device has no value (unverified marker, see README). */
export const PULSE_NONE = 255;

const SYNC = 0x80;

export interface LiveFrame {
  /** Byte 0 bits 0-3. */
  signalStrength: number;
  /** Byte 0 bit 4: "searching too long" in Contec's wording; readers call it finger out. */
  searchingTooLong: boolean;
  /** Byte 0 bit 5. */
  spo2Dropping: boolean;
  /** Byte 0 bit 6: the pulse beep. */
  beep: boolean;
  /** Byte 1 bits 0-6: the plethysmogram sample. */
  pleth: number;
  /** Byte 2 bits 0-3. */
  bargraph: number;
  /** Byte 2 bit 4: probe (sensor) error. */
  probeError: boolean;
  /** Byte 2 bit 5: searching for a pulse. */
  searching: boolean;
  /** Byte 2 bit 6 is bit 7 of the rate; byte 3 bits 0-6 are bits 0-6. */
  pulse: number;
  /** Byte 4 bits 0-6. */
  spo2: number;
}

const byteAt = (bytes: Uint8Array, at: number): number => bytes[at] ?? 0;

/**
 * Whether a frame starts at `at`: 'incomplete' when the bytes so far could
 * still become one (the caller waits for more rather than calling it noise).
 */
export function checkFrameAt(bytes: Uint8Array, at: number): 'frame' | 'not-a-frame' | 'incomplete' {
  if ((byteAt(bytes, at) & SYNC) === 0) return 'not-a-frame';
  for (let k = 1; k < FRAME_LENGTH; k++) {
    if (at + k >= bytes.length) return 'incomplete';
    if ((byteAt(bytes, at + k) & SYNC) !== 0) return 'not-a-frame';
  }
  return 'frame';
}

/** The fields of the frame at `at`; the caller has checked it is one. */
export function readFrame(bytes: Uint8Array, at: number): LiveFrame {
  const b0 = byteAt(bytes, at);
  const b2 = byteAt(bytes, at + 2);
  return {
    signalStrength: b0 & 0x0f,
    searchingTooLong: (b0 & 0x10) !== 0,
    spo2Dropping: (b0 & 0x20) !== 0,
    beep: (b0 & 0x40) !== 0,
    pleth: byteAt(bytes, at + 1) & 0x7f,
    bargraph: b2 & 0x0f,
    probeError: (b2 & 0x10) !== 0,
    searching: (b2 & 0x20) !== 0,
    pulse: ((b2 & 0x40) << 1) | (byteAt(bytes, at + 3) & 0x7f),
    spo2: byteAt(bytes, at + 4) & 0x7f,
  };
}
