/**
 * The main process's only logger. It takes an event name and a few fields of
 * known, non-PHI shape (method names, error class names, counts); there is no
 * way to pass a free-form message, so request data cannot leak into logs.
 */
type Field = string | number | boolean | null;

export interface Logger {
  info(event: string, fields?: Record<string, Field>): void;
  warn(event: string, fields?: Record<string, Field>): void;
  error(event: string, fields?: Record<string, Field>): void;
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: string) => (event: string, fields: Record<string, Field> = {}) =>
    write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })}\n`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
