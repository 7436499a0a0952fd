import type { HidDeviceInfo, HidTransport, HidTransportFactory } from './hid-transport';

/**
 * HID hardware cannot exist on our build machines, so tests and the demo
 * replay a scripted device behind the same interface node-hid sits behind:
 * each host report is answered with the reports the script gives for it.
 */
export interface HidScript {
  info: HidDeviceInfo;
  /** Reports the device sends as soon as it is opened (most send none). */
  onOpen?: () => Uint8Array[];
  /** The device's answer to one host report. */
  respond: (report: Uint8Array) => Uint8Array[];
}

export function createScriptedHidFactory(
  scripts: HidScript[],
  options: { delayMs?: number } = {},
): HidTransportFactory & { plug(script: HidScript): void; unplug(path: string): void } {
  const plugged = new Map(scripts.map((s) => [s.info.path, s]));
  const open = new Map<string, { fail: (error: Error) => void }>();
  const later = (work: () => void) => setTimeout(work, options.delayMs ?? 1);

  return {
    list: () => Promise.resolve([...plugged.values()].map((s) => s.info)),
    plug(script) {
      plugged.set(script.info.path, script);
    },
    unplug(path) {
      plugged.delete(path);
      open.get(path)?.fail(new Error('device unplugged'));
    },
    open(path) {
      const script = plugged.get(path);
      if (!script) return Promise.reject(new Error(`no HID device at ${path}`));
      const reportListeners: ((r: Uint8Array) => void)[] = [];
      let closeListener: ((error?: Error) => void) | undefined;
      let closed = false;
      const deliver = (reports: Uint8Array[]) => later(() => reports.forEach((r) => !closed && reportListeners.forEach((l) => l(r))));
      const end = (error?: Error) => {
        if (closed) return;
        closed = true;
        open.delete(path);
        closeListener?.(error);
      };
      open.set(path, { fail: end });
      const transport: HidTransport = {
        write: (report) => {
          if (closed) return Promise.reject(new Error('device closed'));
          deliver(script.respond(report));
          return Promise.resolve();
        },
        onReport: (listener) => {
          reportListeners.push(listener);
        },
        onClose: (listener) => {
          closeListener = listener;
        },
        close: () => {
          end();
          return Promise.resolve();
        },
      };
      if (script.onOpen) deliver(script.onOpen());
      return Promise.resolve(transport);
    },
  };
}
