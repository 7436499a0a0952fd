import type { ResultOf, TransportKind } from '../../app/contract/api';

export interface SystemInfoSource {
  appName: string;
  appVersion: string;
  versions: { node: string; electron?: string | undefined; chrome?: string | undefined };
  platform: string;
  arch: string;
  startedAt: Date;
  now: () => Date;
}

/** Facts about this installation for the settings page and support calls (no PHI). */
export function createSystemInfoService(source: SystemInfoSource) {
  return {
    info(transport: TransportKind): ResultOf<'system.info'> {
      return {
        appName: source.appName,
        appVersion: source.appVersion,
        electronVersion: source.versions.electron ?? null,
        nodeVersion: source.versions.node,
        chromeVersion: source.versions.chrome ?? null,
        platform: source.platform,
        arch: source.arch,
        transport,
        startedAt: source.startedAt.toISOString(),
        uptimeSeconds: Math.max(0, (source.now().getTime() - source.startedAt.getTime()) / 1000),
      };
    },
  };
}
