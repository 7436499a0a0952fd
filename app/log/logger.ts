/**
 * The only logger of the Node-side code (the main process, the browser-mode
 * host, the hub). It takes an event name and a few fields of known, non-PHI
 * shape (method names, error class names, route kinds, status codes, opaque
 * workstation and clinic ids, counts); there is no way to pass a free-form
 * message, so request data, document ids, user-typed names and credentials
 * cannot reach a log line.
 *
 * It lives in app/ because that is the one layer both main/ and sync/ may
 * import; app/ has no Node typings, so where lines go (stderr, in practice)
 * is the caller's `write`.
 */
export type LogField = string | number | boolean | null;

export interface Logger {
  info(event: string, fields?: Record<string, LogField>): void;
  warn(event: string, fields?: Record<string, LogField>): void;
  error(event: string, fields?: Record<string, LogField>): void;
}

/** `hub.started`, `ws_refused`: a name from the code, never text a person typed. */
const eventPattern = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$/;

/**
 * One JSON line per event. A field cannot overwrite `t`, `level` or `event`,
 * and an event name that is not a plain identifier (text built from data
 * slipping through a cast or a template string) is logged as `log.bad_event`
 * without it or its fields.
 */
export function createLogger(write: (line: string) => void): Logger {
  const emit = (level: 'info' | 'warn' | 'error') => (event: string, fields: Record<string, LogField> = {}) => {
    const t = new Date().toISOString();
    const line = eventPattern.test(event)
      ? { t, level, event, ...onlyScalars(fields) }
      : { t, level, event: 'log.bad_event' };
    write(`${JSON.stringify(line)}\n`);
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** The fields a line may carry: not `t`, `level` or `event`, no value that is not a LogField, nothing from `fields` that is not an object (a string, once spread, is its characters): what a cast let through could carry anything. */
function onlyScalars(fields: Record<string, LogField>): Record<string, LogField> {
  const kept: Record<string, LogField> = {};
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return kept;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 't' || key === 'level' || key === 'event') continue;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') kept[key] = value;
  }
  return kept;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
