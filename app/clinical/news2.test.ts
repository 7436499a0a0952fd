import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acvpuLevels,
  news2,
  news2MessageKeyList,
  news2MessageKeys,
  news2Parameters,
  news2Risk,
  news2Risks,
  roundHalfUp,
  type Acvpu,
  type News2Input,
  type News2Parameter,
  type News2Points,
} from './news2';

/** Everything normal: 0 points on every parameter. */
const normal = {
  respirationRate: 16,
  spo2: 97,
  spo2Scale: 1,
  onOxygen: false,
  systolic: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
} as const satisfies News2Input;

function scoreOf(input: News2Input, parameter: News2Parameter): number | undefined {
  return news2(input).parameters.find((p) => p.parameter === parameter)?.score;
}

// Chart 1, each band's both ends (the boundaries), as [value, points]. The
// extremes of each open band are included too.
const boundaries: Record<'respirationRate' | 'systolic' | 'pulse' | 'temperature', [number, News2Points][]> = {
  respirationRate: [
    [2, 3], [8, 3],
    [9, 1], [11, 1],
    [12, 0], [20, 0],
    [21, 2], [24, 2],
    [25, 3], [80, 3],
  ],
  systolic: [
    [40, 3], [90, 3],
    [91, 2], [100, 2],
    [101, 1], [110, 1],
    [111, 0], [219, 0],
    [220, 3], [300, 3],
  ],
  pulse: [
    [20, 3], [40, 3],
    [41, 1], [50, 1],
    [51, 0], [90, 0],
    [91, 1], [110, 1],
    [111, 2], [130, 2],
    [131, 3], [300, 3],
  ],
  temperature: [
    [25.0, 3], [35.0, 3],
    [35.1, 1], [36.0, 1],
    [36.1, 0], [38.0, 0],
    [38.1, 1], [39.0, 1],
    [39.1, 2], [45.0, 2],
  ],
};

describe('news2: chart 1 band boundaries', () => {
  for (const [parameter, rows] of Object.entries(boundaries) as [keyof typeof boundaries, [number, News2Points][]][]) {
    it.each(rows)(`${parameter} %s scores %s`, (value, points) => {
      expect(scoreOf({ ...normal, [parameter]: value }, parameter)).toBe(points);
    });
  }

  it.each([
    [50, 3], [91, 3],
    [92, 2], [93, 2],
    [94, 1], [95, 1],
    [96, 0], [100, 0],
  ] as const)('SpO2 scale 1: %s%% scores %s, on air or on oxygen', (spo2, points) => {
    expect(scoreOf({ ...normal, spo2, spo2Scale: 1, onOxygen: false }, 'spo2')).toBe(points);
    expect(scoreOf({ ...normal, spo2, spo2Scale: 1, onOxygen: true }, 'spo2')).toBe(points);
  });

  it.each([
    // [SpO2, on air, on oxygen]
    [50, 3, 3], [83, 3, 3],
    [84, 2, 2], [85, 2, 2],
    [86, 1, 1], [87, 1, 1],
    [88, 0, 0], [92, 0, 0],
    [93, 0, 1], [94, 0, 1],
    [95, 0, 2], [96, 0, 2],
    [97, 0, 3], [100, 0, 3],
  ] as const)('SpO2 scale 2: %s%% scores %s on air and %s on oxygen', (spo2, onAir, onOxygen) => {
    expect(scoreOf({ ...normal, spo2, spo2Scale: 2, onOxygen: false }, 'spo2')).toBe(onAir);
    expect(scoreOf({ ...normal, spo2, spo2Scale: 2, onOxygen: true }, 'spo2')).toBe(onOxygen);
  });

  it('air scores 0 and oxygen 2', () => {
    expect(scoreOf({ ...normal, onOxygen: false }, 'airOrOxygen')).toBe(0);
    expect(scoreOf({ ...normal, onOxygen: true }, 'airOrOxygen')).toBe(2);
    expect(news2({ ...normal, onOxygen: true }).parameters).toContainEqual({ parameter: 'airOrOxygen', value: 'oxygen', score: 2 });
  });

  it.each([
    ['A', 0], ['C', 3], ['V', 3], ['P', 3], ['U', 3],
  ] as const)('consciousness %s scores %s (new confusion scores like V, P and U)', (consciousness, points) => {
    expect(scoreOf({ ...normal, consciousness }, 'consciousness')).toBe(points);
  });

  it('scale 1 is the default: scale 2 must be chosen', () => {
    const noScale: News2Input = { ...normal, spo2Scale: undefined };
    const result = news2({ ...noScale, spo2: 90 });
    expect(result.spo2Scale).toBe(1);
    expect(scoreOf({ ...noScale, spo2: 90 }, 'spo2')).toBe(3);
    expect(scoreOf({ ...noScale, spo2: 90, spo2Scale: 2 }, 'spo2')).toBe(0);
  });
});

describe('news2: values between charted values are rounded half up first', () => {
  it.each([
    ['respirationRate', 11.4, 11, 1],
    ['respirationRate', 11.5, 12, 0],
    ['respirationRate', 20.5, 21, 2],
    ['systolic', 90.4, 90, 3],
    ['systolic', 90.5, 91, 2],
    ['systolic', 219.5, 220, 3],
    ['pulse', 50.5, 51, 0],
    ['pulse', 130.49, 130, 2],
    ['spo2', 95.5, 96, 0],
    ['spo2', 91.4, 91, 3],
    ['temperature', 35.04, 35.0, 3],
    ['temperature', 35.05, 35.1, 1],
    ['temperature', 38.05, 38.1, 1],
    ['temperature', 38.04, 38.0, 0],
    ['temperature', 39.05, 39.1, 2],
  ] as const)('%s %s is charted as %s and scores %s', (parameter, value, charted, points) => {
    const result = news2({ ...normal, [parameter]: value });
    expect(result.parameters).toContainEqual({ parameter, value: charted, score: points });
  });

  it('roundHalfUp ignores binary representation error', () => {
    // 38.05 * 10 is 380.49999999999994 in binary floating point.
    expect(roundHalfUp(38.05, 1)).toBe(38.1);
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(11.5, 0)).toBe(12);
    expect(roundHalfUp(11.49, 0)).toBe(11);
  });
});

describe('news2: totals, risk and response (charts 2 and 3)', () => {
  it('all normal: 0, low risk, routine 12-hourly monitoring', () => {
    const result = news2(normal);
    expect(result).toMatchObject({ total: 0, complete: true, missing: [], anySingleThree: false, risk: 'low' });
    expect(result.parameters.map((p) => p.parameter)).toEqual([...news2Parameters]);
    expect(result.response).toEqual({ monitoring: 'news2.monitoring.every12Hours', action: 'news2.response.routine' });
    expect(result.totalKey).toBe('news2.total.complete');
  });

  // Worked by hand from charts 1-3 (the RCP report gives the charts, not
  // numeric worked examples; these are the same arithmetic done on paper).
  it('example: RR 22, SpO2 95% on air, BP 105, pulse 95, alert, 37.5 °C: 2+1+0+1+1+0+0 = 5, medium', () => {
    const result = news2({ respirationRate: 22, spo2: 95, onOxygen: false, systolic: 105, pulse: 95, consciousness: 'A', temperature: 37.5 });
    expect(result.parameters.map((p) => p.score)).toEqual([2, 1, 0, 1, 1, 0, 0]);
    expect(result).toMatchObject({ total: 5, risk: 'medium', anySingleThree: false, complete: true });
    expect(result.response).toEqual({ monitoring: 'news2.monitoring.hourly', action: 'news2.response.medium' });
  });

  it('example: RR 26, SpO2 91% on oxygen, BP 88, pulse 125, confused, 38.6 °C: 3+3+2+3+2+3+1 = 17, high', () => {
    const result = news2({ respirationRate: 26, spo2: 91, onOxygen: true, systolic: 88, pulse: 125, consciousness: 'C', temperature: 38.6 });
    expect(result.parameters.map((p) => p.score)).toEqual([3, 3, 2, 3, 2, 3, 1]);
    expect(result).toMatchObject({ total: 17, risk: 'high', anySingleThree: true });
    expect(result.response).toEqual({ monitoring: 'news2.monitoring.continuous', action: 'news2.response.high' });
  });

  it('example: COPD patient on scale 2, SpO2 89% on 2 L oxygen, otherwise well: only oxygen scores, total 2, low', () => {
    const result = news2({ ...normal, spo2: 89, spo2Scale: 2, onOxygen: true });
    expect(result.parameters.map((p) => p.score)).toEqual([0, 0, 2, 0, 0, 0, 0]);
    expect(result).toMatchObject({ total: 2, risk: 'low' });
    expect(result.response).toEqual({ monitoring: 'news2.monitoring.every4To6Hours', action: 'news2.response.low' });
  });

  it('example: the same patient at 98% on oxygen scores 3 for over-oxygenation', () => {
    const result = news2({ ...normal, spo2: 98, spo2Scale: 2, onOxygen: true });
    expect(result).toMatchObject({ total: 5, risk: 'medium', anySingleThree: true });
  });

  it('example: total 7 without any 3 is high', () => {
    // RR 22 (2), SpO2 93 (2), oxygen (2), temperature 39.0 (1)
    const result = news2({ ...normal, respirationRate: 22, spo2: 93, onOxygen: true, temperature: 39.0 });
    expect(result).toMatchObject({ total: 7, risk: 'high', anySingleThree: false });
  });

  it('single-3 rule: one red score with a low total is low-medium, urgent ward-based response', () => {
    const result = news2({ ...normal, consciousness: 'C' });
    expect(result).toMatchObject({ total: 3, anySingleThree: true, risk: 'low-medium' });
    expect(result.response).toEqual({ monitoring: 'news2.monitoring.hourly', action: 'news2.response.lowMedium' });
    // Total 4 with a 3 is still low-medium.
    expect(news2({ ...normal, consciousness: 'C', pulse: 95 })).toMatchObject({ total: 4, risk: 'low-medium' });
    // The same total 3 from smaller scores is low.
    expect(news2({ ...normal, respirationRate: 22, pulse: 95 })).toMatchObject({ total: 3, anySingleThree: false, risk: 'low' });
  });

  it('single-3 rule never lowers the risk of a higher total', () => {
    expect(news2Risk(5, true)).toBe('medium');
    expect(news2Risk(6, true)).toBe('medium');
    expect(news2Risk(7, true)).toBe('high');
    expect(news2Risk(4, true)).toBe('low-medium');
    expect(news2Risk(0, false)).toBe('low');
    expect(news2Risk(4, false)).toBe('low');
  });
});

describe('news2: incomplete sets', () => {
  it('lists what is missing, in chart order, and marks the total as a minimum', () => {
    const result = news2({ respirationRate: 26, pulse: 80 });
    expect(result.missing).toEqual(['spo2', 'airOrOxygen', 'systolic', 'consciousness', 'temperature']);
    expect(result.parameters).toEqual([
      { parameter: 'respirationRate', value: 26, score: 3 },
      { parameter: 'pulse', value: 80, score: 0 },
    ]);
    expect(result).toMatchObject({ total: 3, complete: false, anySingleThree: true, risk: 'low-medium', totalKey: 'news2.total.atLeast' });
  });

  it('nothing measured: total 0 shown as "at least 0", all seven missing', () => {
    const result = news2({});
    expect(result).toMatchObject({ total: 0, complete: false, parameters: [], risk: 'low', totalKey: 'news2.total.atLeast' });
    expect(result.missing).toEqual([...news2Parameters]);
  });

  it('air/oxygen unknown on scale 2: SpO2 ≥ 93 scores its minimum (0) and the set is incomplete', () => {
    const result = news2({ ...normal, spo2: 98, spo2Scale: 2, onOxygen: undefined });
    expect(scoreOf({ ...normal, spo2: 98, spo2Scale: 2, onOxygen: undefined }, 'spo2')).toBe(0);
    expect(result.missing).toEqual(['airOrOxygen']);
    expect(result.complete).toBe(false);
  });

  it('a value that is not a number counts as not measured, never as a score', () => {
    const result = news2({ ...normal, pulse: Number.NaN, temperature: Number.POSITIVE_INFINITY });
    expect(result.missing).toEqual(['pulse', 'temperature']);
    expect(result.complete).toBe(false);
  });
});

describe('news2: properties', () => {
  const inputs: fc.Arbitrary<News2Input> = fc.record(
    {
      respirationRate: fc.integer({ min: 2, max: 80 }),
      spo2: fc.integer({ min: 50, max: 100 }),
      spo2Scale: fc.constantFrom(1 as const, 2 as const),
      onOxygen: fc.boolean(),
      systolic: fc.integer({ min: 40, max: 300 }),
      pulse: fc.integer({ min: 20, max: 300 }),
      consciousness: fc.constantFrom<Acvpu>(...acvpuLevels),
      temperature: fc.integer({ min: 250, max: 450 }).map((tenths) => tenths / 10),
    },
    { requiredKeys: [] },
  );
  const rank = (risk: (typeof news2Risks)[number]) => news2Risks.indexOf(risk);

  it('the total is the sum of the parameter scores, and present + missing are the seven parameters', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const result = news2(input);
        expect(result.total).toBe(result.parameters.reduce((sum, p) => sum + p.score, 0));
        expect(result.anySingleThree).toBe(result.parameters.some((p) => p.score === 3));
        expect(result.complete).toBe(result.missing.length === 0);
        expect([...result.parameters.map((p) => p.parameter), ...result.missing].sort()).toEqual([...news2Parameters].sort());
        expect(result.total).toBeLessThanOrEqual(20);
      }),
    );
  });

  it('with no single 3, risk never falls as the total rises', () => {
    // Only values outside every 3-point band (scale 1, alert), so no filtering is needed.
    const noThree = fc
      .record(
        {
          respirationRate: fc.integer({ min: 9, max: 24 }),
          spo2: fc.integer({ min: 92, max: 100 }),
          onOxygen: fc.boolean(),
          systolic: fc.integer({ min: 91, max: 219 }),
          pulse: fc.integer({ min: 41, max: 130 }),
          consciousness: fc.constant('A' as const),
          temperature: fc.integer({ min: 351, max: 450 }).map((tenths) => tenths / 10),
        },
        { requiredKeys: [] },
      )
      .map(news2);
    fc.assert(
      fc.property(noThree, noThree, (a, b) => {
        expect(a.anySingleThree || b.anySingleThree).toBe(false);
        if (a.total <= b.total) expect(rank(a.risk)).toBeLessThanOrEqual(rank(b.risk));
        else expect(rank(a.risk)).toBeGreaterThanOrEqual(rank(b.risk));
      }),
    );
  });

  it('risk depends only on the total and the single-3 flag, and a red score never lowers it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.boolean(), (x, y, three) => {
        const [low, high] = x <= y ? [x, y] : [y, x];
        expect(rank(news2Risk(low, three))).toBeLessThanOrEqual(rank(news2Risk(high, three)));
        expect(rank(news2Risk(x, true))).toBeGreaterThanOrEqual(rank(news2Risk(x, false)));
      }),
    );
  });

  it('adding a measurement never lowers the total (so an incomplete total is a minimum)', () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom(...(['respirationRate', 'spo2', 'onOxygen', 'systolic', 'pulse', 'consciousness', 'temperature'] as const)), (input, drop) => {
        const full = news2(input);
        const fewer = news2({ ...input, [drop]: undefined });
        expect(fewer.total).toBeLessThanOrEqual(full.total);
        expect(rank(fewer.risk)).toBeLessThanOrEqual(rank(full.risk));
      }),
    );
  });
});

describe('news2: message keys', () => {
  it('are i18n keys, one per risk, parameter and scale; each parameter is named by the vital’s one name', () => {
    for (const key of news2MessageKeyList) expect(key).toMatch(/^(news2|vitals)\.[a-zA-Z0-9]+\.[a-zA-Z0-9]+$/);
    for (const key of Object.values(news2MessageKeys.parameter)) expect(key).toMatch(/^vitals\.kinds\./);
    expect(new Set(news2MessageKeyList).size).toBe(news2MessageKeyList.length);
    expect(Object.keys(news2MessageKeys.risk).sort()).toEqual([...news2Risks].sort());
    expect(Object.keys(news2MessageKeys.parameter).sort()).toEqual([...news2Parameters].sort());
  });

  it('every key a result can give is in the key list', () => {
    const inputs = fc.record({
      respirationRate: fc.integer({ min: 2, max: 80 }),
      consciousness: fc.constantFrom<Acvpu>(...acvpuLevels),
      onOxygen: fc.boolean(),
      spo2: fc.integer({ min: 50, max: 100 }),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(inputs, (input) => {
        const result = news2(input);
        for (const key of [result.response.action, result.response.monitoring, result.totalKey, news2MessageKeys.risk[result.risk]]) {
          expect(news2MessageKeyList).toContain(key);
        }
      }),
    );
  });
});
