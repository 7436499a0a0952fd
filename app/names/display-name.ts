import { z } from 'zod';

/**
 * A name a person types for a clinic or a workstation: trimmed, at most 100
 * characters, printable (no control or format characters, which could hide
 * text or reverse it on screen). One rule for the hub, which takes these
 * names at enrollment and from its admin commands, and for the workstations,
 * which replicate their own names to each other.
 */
export const displayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'a name may not contain control characters');
