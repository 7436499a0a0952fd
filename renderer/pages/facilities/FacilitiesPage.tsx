import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { maxBasemapFeatures, type basemapFeatureSchema } from '../../../app/contract/region';
import type { FacilityCapability } from '../../../app/facilities/capabilities';
import type { DirectoryEntry } from '../../../app/facilities/directory-entry';
import { capabilitiesNow } from '../../../app/facilities/facility-override';
import { can } from '../../../app/auth/roles';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { facilitiesKey, phiKey, useData, useVaultState } from '../../data-client/DataContext';
import { CapabilityOptions, FacilityCapabilities, overridesKey } from './FacilityCapabilities';
import { serviceErrorText } from '../../errors';
import { facilityColors, FacilityMap, roadStyles, type MapBackground, type MapFacility } from './FacilityMap';
import { queryKeys } from '../../api/query-keys';
import { distanceText, durationText, RankedFacilities, type RankedEntry } from './RankedFacilities';

type LatLon = readonly [number, number];
type BasemapFeature = z.infer<typeof basemapFeatureSchema>;
const regionKey = ['region'] as const;

/** A facility's name as shown: its own, or its kind and where it comes from. */
const nameOf = (entry: DirectoryEntry, t: (key: string) => string) => entry.name ?? `${t(`facilities.kind.${entry.kind}`)} (${entry.source.ref})`;

/** The facility chosen on the map, what it was chosen for, and the road route shown to it when there is one. */
export interface ChosenFacility {
  entry: DirectoryEntry;
  name: string;
  capability: FacilityCapability | 'any';
  route?: { distanceM: number; durationS: number; season: 'dry' | 'rainy' };
}

/**
 * Where the journey last started from on this workstation ("lat,lon"): a
 * workstation stays at its clinic, so the nurse chooses the start once. Not
 * patient data.
 */
const startKey = 'clinic-workstation.facilities.start';
function rememberedStart(): LatLon | undefined {
  const [lat, lon] = (globalThis.localStorage?.getItem(startKey) ?? '').split(',').map(Number);
  return lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? [lat, lon] : undefined;
}
function rememberStart(origin: LatLon | undefined): void {
  if (origin) globalThis.localStorage?.setItem(startKey, origin.join(','));
}

/**
 * The facilities a patient could be sent to, on a map of the region drawn on
 * this workstation (no network needed): choose where the journey starts (a
 * town or village, or a click on the map) and what the patient needs, and the
 * facilities able to help are ranked by travel time on the roads, in the dry
 * or the rainy season; choosing one draws its route. A referral from the
 * chart is this page with a title naming the patient and, beside the chosen
 * facility, what to do with it (`actionFor`).
 */
export function FacilitiesPage({ title, actionFor }: { title?: string; actionFor?: (chosen: ChosenFacility) => ReactNode } = {}) {
  const { t } = useTranslation();
  const api = useApi();
  const data = useData();
  const connected = useConnectionState() === 'connected';
  const queryClient = useQueryClient();
  const [origin, setOriginState] = useState<LatLon | undefined>(rememberedStart);
  const setOrigin = (point: LatLon | undefined) => (setOriginState(point), rememberStart(point));
  const [capability, setCapability] = useState<FacilityCapability | 'any'>('any');
  const [season, setSeason] = useState<'dry' | 'rainy'>('dry');
  const [chosen, setChosen] = useState<string | undefined>();

  const region = useQuery({ queryKey: [...regionKey, 'status'], queryFn: () => api.call('region.status', {}), enabled: connected });
  const refresh = useMutation({ mutationFn: () => api.call('region.refresh', {}), onSettled: () => queryClient.invalidateQueries({ queryKey: regionKey }) });
  const basemap = useQuery({
    queryKey: [...regionKey, 'basemap', region.data?.fetchedAt],
    enabled: connected && region.data?.available === true,
    queryFn: async () => {
      const features: BasemapFeature[] = [];
      for (let offset = 0; ; offset += maxBasemapFeatures) {
        const page = await api.call('region.basemap', { offset, limit: maxBasemapFeatures });
        features.push(...page.features);
        if (features.length >= page.total || page.features.length === 0) return { features, bounds: page.bounds };
      }
    },
  });
  const tiles = useQuery({ queryKey: queryKeys.tileArchive, queryFn: () => api.call('region.tiles', {}), enabled: connected });
  const background: MapBackground | undefined = useMemo(() => {
    const archive = tiles.data;
    if (!archive?.available) return undefined;
    const read = async (offset: number, length: number) => {
      const { data } = await api.call('region.tilesRead', { key: archive.key, offset, length });
      return Uint8Array.from(atob(data), (c) => c.charCodeAt(0)).buffer;
    };
    return { key: archive.key, kind: archive.kind, ...(archive.attribution ? { attribution: archive.attribution } : {}), read };
  }, [tiles.data, api]);
  const directory = useQuery({ queryKey: [...facilitiesKey, 'list'], queryFn: () => data.call('facilities.list', {}) });
  const overrides = useQuery({ queryKey: overridesKey, queryFn: () => data.call('facilities.overrides', {}) });
  const staffNames = useQuery({ queryKey: [phiKey, 'staff-names'], queryFn: () => data.call('staff.names', {}) });
  const vault = useVaultState();
  const mayOverride = vault.status === 'unlocked' && can(vault.session.role, 'facilities.override');
  const statements = useMemo(() => overrides.data?.overrides ?? [], [overrides.data]);

  const entries = useMemo(() => directory.data ?? [], [directory.data]);
  // What the clinic goes by: the directory, or the clinic's own newer statement.
  const capableIds = useMemo(() => new Set(entries.filter((entry) => capability === 'any' || capabilitiesNow(entry, statements).includes(capability)).map((entry) => entry.id)), [entries, statements, capability]);
  const capable = useMemo(() => entries.filter((entry) => capableIds.has(entry.id)), [entries, capableIds]);
  const byId = useMemo(() => new Map(entries.map((entry) => [entry.id, entry])), [entries]);
  // The region's named places, to start from without a mouse: "lat,lon" is the option's value.
  const places = useMemo(
    () =>
      (basemap.data?.features ?? [])
        .flatMap((f) => (f.properties.layer === 'place' && f.geometry.type === 'Point' ? [{ name: f.properties.name ?? '', value: `${f.geometry.coordinates[1]},${f.geometry.coordinates[0]}` }] : []))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [basemap.data],
  );

  const ranking = useQuery({
    queryKey: [...regionKey, 'rank', origin, capability, season, capable.map((entry) => entry.id).join(',')],
    enabled: connected && origin !== undefined && capable.length > 0,
    queryFn: () => api.call('region.rank', { from: [origin![0], origin![1]], places: capable.map(({ id, lat, lon }) => ({ id, lat, lon })), count: 10, by: 'time', season }),
  });
  const chosenEntry = chosen === undefined ? undefined : byId.get(chosen);
  const route = useQuery({
    queryKey: [...regionKey, 'route', origin, chosen, season],
    enabled: connected && origin !== undefined && chosenEntry !== undefined,
    queryFn: () => api.call('region.route', { from: [origin![0], origin![1]], to: [chosenEntry!.lat, chosenEntry!.lon], by: 'time', season }),
  });

  const named = (ranked: readonly { id: string; distanceM: number; durationS?: number }[]): RankedEntry[] =>
    ranked.flatMap((r) => {
      const entry = byId.get(r.id);
      return entry ? [{ ...r, name: nameOf(entry, t) }] : [];
    });
  const onRoad = new Set(ranking.data?.byRoad.map((r) => r.id));
  const byRoad = named(ranking.data?.byRoad ?? []);
  const byStraightLine = named((ranking.data?.byStraightLine ?? []).filter((r) => !onRoad.has(r.id)));
  const mapFacilities: MapFacility[] = useMemo(() => entries.map((entry) => ({ id: entry.id, name: nameOf(entry, t), lat: entry.lat, lon: entry.lon, capable: capableIds.has(entry.id) })), [entries, capableIds, t]);
  const routeAnswer = route.data;

  return (
    <section aria-labelledby="facilities-title" className="facilities-page">
      <h1 id="facilities-title">{title ?? t('facilities.title')}</h1>
      {region.data && !region.data.available && (
        <div role="status">
          <p>{region.data.problem ?? t('facilities.noRoads')}</p>
          <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
            {t('facilities.getRoads')}
          </button>
        </div>
      )}
      {refresh.error && <p role="alert">{serviceErrorText(t, refresh.error)}</p>}
      <form className="facilities-controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('facilities.from')}{' '}
          <select
            value={origin ? origin.join(',') : ''}
            onChange={(event) => {
              const [lat, lon] = event.target.value.split(',').map(Number);
              setOrigin(lat !== undefined && lon !== undefined && event.target.value !== '' ? [lat, lon] : undefined);
              setChosen(undefined);
            }}
            data-testid="facilities-from"
          >
            <option value="">{origin && !places.some((place) => place.value === origin.join(',')) ? t('facilities.pointOnMap') : t('facilities.chooseStart')}</option>
            {places.map((place) => (
              <option key={place.value} value={place.value}>
                {place.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('facilities.needs')}{' '}
          <select value={capability} onChange={(event) => (setCapability(event.target.value as FacilityCapability | 'any'), setChosen(undefined))} data-testid="facilities-capability">
            <option value="any">{t('facilities.anyFacility')}</option>
            <CapabilityOptions />
          </select>
        </label>
        <fieldset>
          <legend>{t('facilities.season')}</legend>
          {(['dry', 'rainy'] as const).map((choice) => (
            <label key={choice}>
              <input type="radio" name="season" value={choice} checked={season === choice} onChange={() => setSeason(choice)} /> {t(`facilities.seasons.${choice}`)}
            </label>
          ))}
        </fieldset>
      </form>
      <div className="facilities-body">
        <FacilityMap
          basemap={basemap.data?.features ?? []}
          bounds={basemap.data?.bounds}
          facilities={mapFacilities}
          origin={origin}
          chosen={chosen}
          route={routeAnswer?.found ? routeAnswer.path : undefined}
          onPickOrigin={(point) => (setOrigin(point), setChosen(undefined))}
          background={background}
        />
        <div className="facilities-side">
          {routeAnswer && chosenEntry && (
            <p role="status" data-testid="route-summary">
              {routeAnswer.found
                ? t('facilities.route', { name: nameOf(chosenEntry, t), time: durationText(routeAnswer.durationS), distance: distanceText(routeAnswer.distanceM) })
                : t(`facilities.noRoute.${routeAnswer.reason}`, { distance: distanceText(routeAnswer.straightLineM) })}
            </p>
          )}
          {chosenEntry &&
            actionFor?.({
              entry: chosenEntry,
              name: nameOf(chosenEntry, t),
              capability,
              ...(routeAnswer?.found ? { route: { distanceM: routeAnswer.distanceM, durationS: routeAnswer.durationS, season } } : {}),
            })}
          {chosenEntry && <FacilityCapabilities entry={chosenEntry} overrides={statements} staffNames={staffNames.data ?? {}} mayOverride={mayOverride} />}
          {origin === undefined ? <p>{t('facilities.pickStart')}</p> : <RankedFacilities byRoad={byRoad} byStraightLine={byStraightLine} chosen={chosen} onChoose={setChosen} />}
          {ranking.error && <p role="alert">{serviceErrorText(t, ranking.error)}</p>}
          <dl className="map-legend" aria-label={t('facilities.legend')}>
            {roadStyles.map((style) => (
              <div key={style.classes[0]}>
                <dt>
                  <span className="swatch-line" style={{ background: style.color, height: style.width }} />
                </dt>
                <dd>{t(`facilities.roads.${style.classes[0]}`)}</dd>
              </div>
            ))}
            {(['capable', 'other', 'chosen'] as const).map((kind) => (
              <div key={kind}>
                <dt>
                  <span className="swatch-dot" style={{ background: facilityColors[kind] }} />
                </dt>
                <dd>{t(`facilities.legendItems.${kind}`)}</dd>
              </div>
            ))}
            <div>
              <dt>
                <span className="swatch-line" style={{ background: facilityColors.route, height: 4 }} />
              </dt>
              <dd>{t('facilities.legendItems.route')}</dd>
            </div>
          </dl>
        </div>
      </div>
    </section>
  );
}
