/**
 * Weight Unit selectors 0x51-0x5C as the report numbers them (1 = milligram
 * ... 12 = pound), with each unit's exact size in kilograms as a fraction.
 * Only the units a body weight can sensibly be shown in are supported.
 */
export const unitCodes = { mg: 1, g: 2, kg: 3, oz: 11, lb: 12 } as const;
export type ScaleUnit = keyof typeof unitCodes;

/** Kilograms per unit as an exact fraction num / den. */
const kilograms: Readonly<Record<number, { num: bigint; den: bigint }>> = {
  [unitCodes.mg]: { num: 1n, den: 1_000_000n },
  [unitCodes.g]: { num: 1n, den: 1_000n },
  [unitCodes.kg]: { num: 1n, den: 1n },
  // International avoirdupois pound: exactly 0.45359237 kg; the ounce is 1/16 of it.
  [unitCodes.oz]: { num: 45_359_237n, den: 1_600_000_000n },
  [unitCodes.lb]: { num: 45_359_237n, den: 100_000_000n },
};

/** Decimal places kept in kilograms: 1 mg, finer than any scale this driver meets. */
export const KG_DECIMALS = 6;

/**
 * weight × 10^exponent in `unit`, converted to kilograms exactly (integer
 * arithmetic on the fraction), then rounded half-up to KG_DECIMALS places;
 * undefined for a unit this driver does not support.
 */
export function toKilograms(weight: number, exponent: number, unit: number): number | undefined {
  const u = kilograms[unit];
  if (!u) return undefined;
  const scale = 10n ** BigInt(Math.abs(exponent));
  const num = BigInt(weight) * u.num * (exponent > 0 ? scale : 1n) * 10n ** BigInt(KG_DECIMALS);
  const den = u.den * (exponent < 0 ? scale : 1n);
  const rounded = (num + den / 2n) / den; // weights are never negative here
  const text = rounded.toString().padStart(KG_DECIMALS + 1, '0');
  return Number(`${text.slice(0, -KG_DECIMALS)}.${text.slice(-KG_DECIMALS)}`);
}
