import { useEffect, useReducer } from 'react';
import type { ClientDeviceEvent } from '../../app/contract/client';
import type { DeviceInfo } from '../../app/contract/device-events';
import type { DeviceIdentity, DecodeError, DeviceReading, DeviceStatus } from '../../app/devices/decoded-item';
import { useApi } from '../api/ApiContext';

/** What one reading run (a device read once) has produced so far, as the capture screen shows it. */
export interface RunView {
  runId: string;
  deviceId: string;
  identity?: DeviceIdentity;
  readings: DeviceReading[];
  /** The latest pleth samples, newest last (a window for the trace). */
  waveform: number[];
  /** The device's current state (searching, finger out…); a later reading clears it, since the device is measuring again. */
  status?: DeviceStatus;
  /** The download's header (a meter's clock, serial…), kept apart so later statuses do not hide it. */
  header?: { status: DeviceStatus; receivedAt: string };
  errors: DecodeError[];
  ended?: { reason: string; message: string };
  /** Set when an event of this run could not be read: what it held is missing here. */
  unreadable?: string;
}

interface State {
  devices: DeviceInfo[];
  runs: Record<string, RunView>;
  /** Set when an event that named no known run could not be read (the device list may be stale). */
  unreadable?: string;
}

const waveformWindow = 600; // ten seconds at the oximeter's 60 samples a second

type Action = { type: 'devices'; devices: DeviceInfo[] } | { type: 'event'; event: ClientDeviceEvent } | { type: 'started'; runId: string; deviceId: string };

/** How each event changes what the screen shows (exported for its test). */
export function reduceDevices(state: State, action: Action): State {
  if (action.type === 'devices') return { ...state, devices: action.devices };
  if (action.type === 'started') {
    return { ...state, runs: { ...state.runs, [action.runId]: state.runs[action.runId] ?? { runId: action.runId, deviceId: action.deviceId, readings: [], waveform: [], errors: [] } } };
  }
  const { event } = action;
  if (event.event === 'devices.changed') return { ...state, devices: event.devices };
  if (event.event === 'unreadable') {
    const named = event.runId === undefined ? undefined : state.runs[event.runId];
    if (!named) return { ...state, unreadable: event.message };
    return { ...state, runs: { ...state.runs, [named.runId]: { ...named, unreadable: event.message } } };
  }
  const current = state.runs[event.runId] ?? { runId: event.runId, deviceId: event.deviceId, readings: [], waveform: [], errors: [] };
  if (event.event === 'run.ended') {
    return { ...state, runs: { ...state.runs, [event.runId]: { ...current, ended: { reason: event.reason, message: event.message } } } };
  }
  const next: RunView = { ...current, identity: event.identity, readings: [...current.readings], waveform: current.waveform, errors: [...current.errors] };
  for (const item of event.items) {
    if (item.type === 'reading') {
      next.readings.push({ ...item.reading, device: event.identity, receivedAt: event.receivedAt });
      next.status = undefined;
    } else if (item.type === 'waveform') next.waveform = [...next.waveform, ...item.samples].slice(-waveformWindow);
    else if (item.type === 'status' && item.status.status === 'header') next.header = { status: item.status, receivedAt: event.receivedAt };
    else if (item.type === 'status') next.status = item.status;
    else next.errors.push(item.error);
  }
  return { ...state, runs: { ...state.runs, [event.runId]: next } };
}

/** The connected devices and every reading run's progress, live from the main process's `devices` events. */
export function useDevices() {
  const api = useApi();
  const [state, dispatch] = useReducer(reduceDevices, { devices: [], runs: {} });
  useEffect(() => {
    const unsubscribe = api.on('devices', (event) => dispatch({ type: 'event', event }));
    void api.call('devices.list', {}).then(({ devices }) => dispatch({ type: 'devices', devices }), () => undefined);
    return unsubscribe;
  }, [api]);
  return {
    ...state,
    start: async (deviceId: string, driver: DeviceInfo['drivers'][number]) => {
      const { runId } = await api.call('devices.start', { deviceId, driver });
      dispatch({ type: 'started', runId, deviceId });
      return runId;
    },
    stop: (runId: string) => api.call('devices.stop', { runId }),
  };
}
