/**
 * The hub's only logger. It takes an event name and a few fields of known,
 * non-PHI shape (route kinds, status codes, opaque workstation and clinic ids,
 * counts); there is no way to pass a free-form message, so request bodies,
 * document ids, user-typed names and credentials cannot reach a log line.
 * (sync/ may not import main/, hence this twin of main/log.ts.)
 */
export type LogField = string | number | boolean | null;

export interface Logger {
  info(event: string, fields?: Record<string, LogField>): void;
  warn(event: string, fields?: Record<string, LogField>): void;
  error(event: string, fields?: Record<string, LogField>): void;
}

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: string) => (event: string, fields: Record<string, LogField> = {}) =>
    write(`${JSON.stringify({ t: new Date().toISOString(), level, event, ...fields })}\n`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
