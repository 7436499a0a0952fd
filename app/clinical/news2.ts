/**
 * National Early Warning Score 2 (Royal College of Physicians, 2017): chart 1
 * (the scoring bands), chart 2 (risk from the aggregate score) and chart 3
 * (the clinical response to each trigger threshold).
 *
 * Scoring works on values as they are charted: respiration rate, SpO2,
 * systolic pressure and pulse are whole numbers, temperature has one decimal.
 * The chart's bands have gaps between them at that precision only (11 then 12,
 * 35.0 then 35.1), so a value with more precision is first rounded half up to
 * the charted precision and then scored: respiration rate 11.5 is charted and
 * scored as 12 (0 points), temperature 38.05 as 38.1 (1 point). The value
 * reported with each score is the charted one, so what the nurse sees next to
 * the score is what the score was computed from.
 *
 * Everything user-facing is an i18n key; this module holds no English text.
 */

export const acvpuLevels = ['A', 'C', 'V', 'P', 'U'] as const;
/** Alert, new Confusion, responds to Voice, responds to Pain, Unresponsive. */
export type Acvpu = (typeof acvpuLevels)[number];

export const spo2Scales = [1, 2] as const;
/**
 * Scale 2 is only for patients with confirmed hypercapnic respiratory failure
 * whose target saturation (88-92%) a clinician has set; scale 1 otherwise.
 */
export type Spo2Scale = (typeof spo2Scales)[number];

/** The latest value of each parameter; any may be missing. */
export interface News2Input {
  /** Breaths per minute. */
  respirationRate?: number | undefined;
  /** Oxygen saturation, %. */
  spo2?: number | undefined;
  /** Defaults to 1: scale 2 must be a clinician's explicit choice. */
  spo2Scale?: Spo2Scale | undefined;
  /** Breathing supplemental oxygen (true) or air (false). */
  onOxygen?: boolean | undefined;
  /** mmHg. */
  systolic?: number | undefined;
  /** Beats per minute. */
  pulse?: number | undefined;
  consciousness?: Acvpu | undefined;
  /** °C. */
  temperature?: number | undefined;
}

/** The seven NEWS2 parameters, in the chart's order. */
export const news2Parameters = ['respirationRate', 'spo2', 'airOrOxygen', 'systolic', 'pulse', 'consciousness', 'temperature'] as const;
export type News2Parameter = (typeof news2Parameters)[number];

export type News2Points = 0 | 1 | 2 | 3;

export type News2ParameterScore =
  | { parameter: 'respirationRate' | 'spo2' | 'systolic' | 'pulse' | 'temperature'; value: number; score: News2Points }
  | { parameter: 'airOrOxygen'; value: 'air' | 'oxygen'; score: News2Points }
  | { parameter: 'consciousness'; value: Acvpu; score: News2Points };

/** Chart 2, in increasing order of risk. */
export const news2Risks = ['low', 'low-medium', 'medium', 'high'] as const;
export type News2Risk = (typeof news2Risks)[number];

/**
 * i18n keys. The response texts follow chart 3: how often to observe
 * (`monitoring`) and what to do (`response`), one pair per trigger level.
 * Score 0 and scores 1-4 are both "low" risk but chart 3 answers them
 * differently, hence `routine` besides `low`.
 */
export const news2MessageKeys = {
  risk: {
    low: 'news2.risk.low',
    'low-medium': 'news2.risk.lowMedium',
    medium: 'news2.risk.medium',
    high: 'news2.risk.high',
  },
  monitoring: {
    every12Hours: 'news2.monitoring.every12Hours',
    every4To6Hours: 'news2.monitoring.every4To6Hours',
    hourly: 'news2.monitoring.hourly',
    continuous: 'news2.monitoring.continuous',
  },
  response: {
    routine: 'news2.response.routine',
    low: 'news2.response.low',
    lowMedium: 'news2.response.lowMedium',
    medium: 'news2.response.medium',
    high: 'news2.response.high',
  },
  total: {
    /** `{{total}}`: every parameter was measured. */
    complete: 'news2.total.complete',
    /** `{{total}}`: some parameter is missing, so the real score may be higher. */
    atLeast: 'news2.total.atLeast',
  },
  /**
   * The one name each vital has everywhere (entry form, chart, tables and
   * here), so a nurse never wonders whether "Breathing rate" and
   * "Respiratory rate" are two things.
   */
  parameter: {
    respirationRate: 'vitals.kinds.respiratoryRate',
    spo2: 'vitals.kinds.spo2',
    airOrOxygen: 'vitals.kinds.airOrOxygen',
    systolic: 'vitals.kinds.systolic',
    pulse: 'vitals.kinds.pulse',
    consciousness: 'vitals.kinds.consciousness',
    temperature: 'vitals.kinds.bodyTemperature',
  },
  /** The value of the air/oxygen parameter, as words. */
  airOrOxygen: {
    air: 'vitals.airOrOxygen.air',
    oxygen: 'vitals.airOrOxygen.oxygen',
  },
  spo2Scale: {
    1: 'news2.spo2Scale.scale1',
    2: 'news2.spo2Scale.scale2',
  },
} as const satisfies {
  risk: Record<News2Risk, string>;
  parameter: Record<News2Parameter, string>;
  spo2Scale: Record<Spo2Scale, string>;
  [group: string]: Record<string, string>;
};

/** Every NEWS2 key, for the translation catalogue check. */
export const news2MessageKeyList: readonly string[] = Object.values(news2MessageKeys).flatMap((group) => Object.values(group));

type Values<T> = T[keyof T];
export type News2MessageKey = Values<{ [G in keyof typeof news2MessageKeys]: Values<(typeof news2MessageKeys)[G]> }>;

export interface News2Result {
  /** The present parameters with their charted value and points, in chart order. */
  parameters: News2ParameterScore[];
  /** Parameters with no value, in chart order. */
  missing: News2Parameter[];
  /** Sum of the present parameters' points; a minimum when `complete` is false. */
  total: number;
  /** All seven parameters present. When false, show the total as "at least" (`totalKey`). */
  complete: boolean;
  /** Some parameter scored 3 (a "red score"). */
  anySingleThree: boolean;
  /** Chart 2; like the total, a minimum when incomplete. */
  risk: News2Risk;
  spo2Scale: Spo2Scale;
  /** Chart 3: how often to observe and what to do. */
  response: { monitoring: News2MessageKey; action: News2MessageKey };
  /** How to label the total; takes `{{total}}`. */
  totalKey: News2MessageKey;
}

/** Half-up rounding to `decimals` places that ignores binary representation error (38.05 → 38.1, not 38.0). */
export function roundHalfUp(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  // toPrecision(12) drops the last few bits of error that 38.05 * 10 =
  // 380.49999999999994 carries, so the value rounds as it was written.
  return Math.round(Number((value * factor).toPrecision(12))) / factor;
}

/** Decimal places each numeric parameter is charted with. */
export const chartedDecimals = { respirationRate: 0, spo2: 0, systolic: 0, pulse: 0, temperature: 1 } as const;

export function scoreRespirationRate(charted: number): News2Points {
  if (charted <= 8) return 3;
  if (charted <= 11) return 1;
  if (charted <= 20) return 0;
  if (charted <= 24) return 2;
  return 3;
}

/**
 * Scale 2 scores saturations of 93% and above only when the patient is on
 * oxygen (over-oxygenation of a hypercapnic patient); on air, or when it is not
 * known, they score 0, the least they can score, so with air/oxygen missing
 * the total stays a minimum.
 */
export function scoreSpo2(charted: number, scale: Spo2Scale, onOxygen: boolean | undefined): News2Points {
  if (scale === 1) {
    if (charted <= 91) return 3;
    if (charted <= 93) return 2;
    if (charted <= 95) return 1;
    return 0;
  }
  if (charted <= 83) return 3;
  if (charted <= 85) return 2;
  if (charted <= 87) return 1;
  if (charted <= 92 || onOxygen !== true) return 0;
  if (charted <= 94) return 1;
  if (charted <= 96) return 2;
  return 3;
}

export function scoreAirOrOxygen(onOxygen: boolean): News2Points {
  return onOxygen ? 2 : 0;
}

export function scoreSystolic(charted: number): News2Points {
  if (charted <= 90) return 3;
  if (charted <= 100) return 2;
  if (charted <= 110) return 1;
  if (charted <= 219) return 0;
  return 3;
}

export function scorePulse(charted: number): News2Points {
  if (charted <= 40) return 3;
  if (charted <= 50) return 1;
  if (charted <= 90) return 0;
  if (charted <= 110) return 1;
  if (charted <= 130) return 2;
  return 3;
}

/** Any level other than Alert scores 3, new confusion included (NEWS2's change from NEWS). */
export function scoreConsciousness(level: Acvpu): News2Points {
  return level === 'A' ? 0 : 3;
}

export function scoreTemperature(charted: number): News2Points {
  if (charted <= 35.0) return 3;
  if (charted <= 36.0) return 1;
  if (charted <= 38.0) return 0;
  if (charted <= 39.0) return 1;
  return 2;
}

/** Chart 2. The single-3 rule raises a low total to low-medium; it never lowers a medium or high one. */
export function news2Risk(total: number, anySingleThree: boolean): News2Risk {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return anySingleThree ? 'low-medium' : 'low';
}

/** Chart 3: frequency of monitoring and clinical response. */
export function news2Response(total: number, risk: News2Risk): News2Result['response'] {
  const { monitoring, response } = news2MessageKeys;
  switch (risk) {
    case 'high':
      return { monitoring: monitoring.continuous, action: response.high };
    case 'medium':
      return { monitoring: monitoring.hourly, action: response.medium };
    case 'low-medium':
      return { monitoring: monitoring.hourly, action: response.lowMedium };
    case 'low':
      return total === 0
        ? { monitoring: monitoring.every12Hours, action: response.routine }
        : { monitoring: monitoring.every4To6Hours, action: response.low };
  }
}

/** A number the chart can score; NaN or infinity is treated as not measured rather than scored. */
function measured(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value);
}

export function news2(input: News2Input): News2Result {
  const scale: Spo2Scale = input.spo2Scale ?? 1;
  const parameters: News2ParameterScore[] = [];
  const missing: News2Parameter[] = [];

  const numeric = (parameter: keyof typeof chartedDecimals, value: number | undefined, score: (charted: number) => News2Points) => {
    if (!measured(value)) {
      missing.push(parameter);
      return;
    }
    const charted = roundHalfUp(value, chartedDecimals[parameter]);
    parameters.push({ parameter, value: charted, score: score(charted) });
  };

  numeric('respirationRate', input.respirationRate, scoreRespirationRate);
  numeric('spo2', input.spo2, (charted) => scoreSpo2(charted, scale, input.onOxygen));
  if (input.onOxygen === undefined) missing.push('airOrOxygen');
  else parameters.push({ parameter: 'airOrOxygen', value: input.onOxygen ? 'oxygen' : 'air', score: scoreAirOrOxygen(input.onOxygen) });
  numeric('systolic', input.systolic, scoreSystolic);
  numeric('pulse', input.pulse, scorePulse);
  if (input.consciousness === undefined) missing.push('consciousness');
  else parameters.push({ parameter: 'consciousness', value: input.consciousness, score: scoreConsciousness(input.consciousness) });
  numeric('temperature', input.temperature, scoreTemperature);

  const total = parameters.reduce((sum, p) => sum + p.score, 0);
  const anySingleThree = parameters.some((p) => p.score === 3);
  const risk = news2Risk(total, anySingleThree);
  const complete = missing.length === 0;
  return {
    parameters,
    missing,
    total,
    complete,
    anySingleThree,
    risk,
    spo2Scale: scale,
    response: news2Response(total, risk),
    totalKey: complete ? news2MessageKeys.total.complete : news2MessageKeys.total.atLeast,
  };
}
