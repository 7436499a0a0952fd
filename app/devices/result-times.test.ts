import { describe, expect, it } from 'vitest';
import { defaultClinicSettings } from '../settings/clinic-settings';
import { deviceTimeToMs, meterClockOffset, resultTiming } from './result-times';

const week = defaultClinicSettings.glucometerMaxAgeDays;

// Device times carry no zone and are read as local time, so "now" is built the same way.
const now = new Date('2025-06-15T12:00:00');

describe('resultTiming', () => {
  it('marks results older than a week by default, and keeps a week-old one current', () => {
    expect(week).toBe(7);
    expect(resultTiming('2025-06-15T08:30', now, week)).toBe('current');
    expect(resultTiming('2025-06-08T12:00:00', now, week)).toBe('current');
    expect(resultTiming('2025-06-08T11:59', now, week)).toBe('old');
    expect(resultTiming('2024-03-04T07:15', now, week)).toBe('old');
  });

  it('takes another age limit when the clinic sets one', () => {
    expect(resultTiming('2025-06-13T12:00', now, 1)).toBe('old');
    expect(resultTiming('2025-06-13T12:00', now, 3)).toBe('current');
  });

  it('marks a result later than the workstation clock, beyond a few minutes of drift', () => {
    expect(resultTiming('2025-06-15T12:04', now, week)).toBe('current');
    expect(resultTiming('2025-06-15T12:06', now, week)).toBe('future');
    expect(resultTiming('2026-01-01T00:00', now, week)).toBe('future');
  });

  it('says when a result has no usable time', () => {
    expect(resultTiming(undefined, now, week)).toBe('untimed');
    expect(resultTiming('yesterday', now, week)).toBe('untimed');
    expect(deviceTimeToMs('2025-13-01T00:00')).toBeUndefined();
  });
});

describe('meterClockOffset', () => {
  it('is silent within an hour either way', () => {
    expect(meterClockOffset('2025-06-15T12:59', now)).toBeUndefined();
    expect(meterClockOffset('2025-06-15T11:00', now)).toBeUndefined();
  });

  it('gives the offset, meter minus workstation, beyond an hour', () => {
    expect(meterClockOffset('2025-06-15T13:01', now)).toBe(61 * 60 * 1000);
    expect(meterClockOffset('2024-03-05T09:30', now)).toBeLessThan(-300 * 24 * 60 * 60 * 1000);
  });

  it('is silent when the meter time cannot be read', () => {
    expect(meterClockOffset('not a time', now)).toBeUndefined();
  });
});
