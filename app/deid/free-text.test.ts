import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactedMarker as R, scrubText } from './free-text';

describe('free text, scrubbed where identifiers are', () => {
  it('takes out e-mail and web addresses, IP addresses and coordinates', () => {
    expect(scrubText('Write to mary.banda@example.org or see https://clinic.example/p/123 from 10.0.0.12')).toBe(`Write to ${R} or see ${R} from ${R}`);
    expect(scrubText('Found at -3.36712, 36.68298 near the river')).toBe(`Found at ${R} near the river`);
  });

  it('takes out phone numbers, local and international, and long id-like numbers', () => {
    expect(scrubText('Call +255 712 345 678 or 0712-345-678.')).toBe(`Call ${R} or ${R}.`);
    expect(scrubText('NRC 123456/78/1, account 004512398877')).toBe(`NRC ${R}, account ${R}`);
  });

  it('takes out phone numbers as the clinic’s country writes them, however short', () => {
    expect(scrubText('Her brother: 812 345, at home', { country: 'AD' })).toBe(`Her brother: ${R}, at home`);
    expect(scrubText('Her brother: 812 345, at home')).toBe('Her brother: 812 345, at home');
    expect(scrubText('Mobile 754 123 456; SpO2 97, RR 22', { country: 'TZ' })).toBe(`Mobile ${R}; SpO2 97, RR 22`);
  });

  it('takes out dates however they are written, and keeps a year alone', () => {
    expect(scrubText('Seen 2025-06-15 and 15/06/2025; born 14 March 1987, next visit June 3, 2026 (Jun 2026). Since 1998.')).toBe(
      `Seen ${R} and ${R}; born ${R}, next visit ${R} (${R}). Since 1998.`,
    );
  });

  it('turns ages over 89 into 90+, and keeps younger ages', () => {
    expect(scrubText('A 93-year-old woman, aged 91; her son is 45 years old, age: 102')).toBe('A 90+-year-old woman, aged 90+; her son is 45 years old, age: 90+');
    expect(scrubText('Patient 93 years old')).toBe('Patient 90+ years old');
  });

  it('takes out vehicle numbers', () => {
    expect(scrubText('Came in car plate T 123 ABC, VIN 1HGCM82633A004352')).toBe(`Came in car ${R}, VIN ${R}`);
  });

  it('takes out the patient’s own names and numbers, whatever the case or accents', () => {
    expect(scrubText('Mrs BANDA says Marie-Anne Bandá felt dizzy', { known: ['Banda', 'Marie-Anne'] })).toBe(`Mrs ${R} says ${R} ${R} felt dizzy`);
    expect(scrubText('Bandanna is not a name here', { known: ['Banda'] })).toBe('Bandanna is not a name here');
  });

  it('keeps clinical values: readings are not identifiers', () => {
    const note = 'SpO2 97 %, pulse 112/min, BP 128/84 mmHg, weight 95 kg, temp 38.4 °C, glucose 6.2 mmol/L, RR 23';
    expect(scrubText(note)).toBe(note);
  });
});

describe('free text, for any note', () => {
  const reading = fc.tuple(fc.constantFrom('SpO2', 'pulse', 'BP', 'weight', 'temp', 'RR', 'glucose'), fc.integer({ min: 0, max: 999 }), fc.constantFrom('%', '/min', 'mmHg', 'kg', '°C', 'mmol/L', '')).map(([name, value, unit]) => `${name} ${value} ${unit}`.trim());
  const phone = fc.tuple(fc.constantFrom('+255', '+260', '0'), fc.integer({ min: 600_000_000, max: 799_999_999 })).map(([prefix, number]) => `${prefix}${String(number).replace(/(\d{3})(\d{3})(\d{3})/, ' $1 $2 $3')}`);
  const email = fc.tuple(fc.stringMatching(/^[a-z]{2,8}$/), fc.stringMatching(/^[a-z]{2,8}$/)).map(([user, domain]) => `${user}@${domain}.org`);

  it('keeps every reading as it was written', () => {
    fc.assert(fc.property(fc.array(reading, { maxLength: 8 }), (readings) => scrubText(readings.join(', ')) === readings.join(', ')));
  });

  it('leaves no phone number or e-mail address it was given, wherever it sits among readings', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 5 }), fc.oneof(phone, email), fc.nat(5), (readings, identifier, at) => {
        const words = [...readings];
        words.splice(Math.min(at, words.length), 0, identifier);
        const out = scrubText(words.join(' and '));
        // Not the identifier, and no run of seven digits left anywhere (readings never make one: names part them).
        return !out.includes(identifier) && !/\d(?:[\s\-./()]{0,2}\d){6,}/.test(out);
      }),
    );
  });
});
