import { latestByKind, news2Input } from '../observations/latest-readings';
import type { ObservationKind, RecordedObservation } from '../observations/observation';
import { news2Parameters, type News2Input, type News2Parameter } from './news2';

/** The observation kind each NEWS2 parameter is read from; air/oxygen is recorded with the SpO2 reading. */
export const news2ParameterKinds = {
  respirationRate: 'respiratoryRate',
  spo2: 'spo2',
  airOrOxygen: 'spo2',
  systolic: 'systolic',
  pulse: 'pulse',
  consciousness: 'consciousness',
  temperature: 'bodyTemperature',
} as const satisfies Record<News2Parameter, ObservationKind>;

export interface News2Window {
  /** Only values measured within the window. */
  input: News2Input;
  /** When each scored value was measured (ISO), so the screen can say how old each is. */
  takenAt: Partial<Record<News2Parameter, string>>;
  /**
   * Parameters left out because their latest value is older than the window,
   * with when that value was measured: the screen says so rather than
   * showing them as never measured, or worse, scoring them.
   */
  tooOld: Partial<Record<News2Parameter, string>>;
  /** The window's start (ISO). */
  notBefore: string;
}

const hourMs = 3_600_000;

/**
 * The NEWS2 input from one patient's observations, using only values
 * measured in the last `windowHours` before `now`: a score must describe the
 * patient now, not mix a temperature of last week into today's pulse.
 */
export function news2Window(observations: readonly RecordedObservation[], options: { now: number; windowHours: number }): News2Window {
  const notBefore = new Date(options.now - options.windowHours * hourMs).toISOString();
  const input = news2Input(observations, { notBefore });
  const cutoff = Date.parse(notBefore);
  const recent = latestByKind(observations.filter((o) => Date.parse(o.effectiveAt) >= cutoff));
  const latest = latestByKind(observations);
  const takenAt: News2Window['takenAt'] = {};
  const tooOld: News2Window['tooOld'] = {};
  for (const parameter of news2Parameters) {
    const kind = news2ParameterKinds[parameter];
    const inWindow = recent[kind];
    // Air/oxygen counts as measured only when the SpO2 reading said which.
    const scored = parameter === 'airOrOxygen' ? input.onOxygen !== undefined : inWindow !== undefined;
    if (scored && inWindow) takenAt[parameter] = inWindow.effectiveAt;
    else if (!inWindow && latest[kind]) tooOld[parameter] = latest[kind].effectiveAt;
  }
  return { input, takenAt, tooOld, notBefore };
}
