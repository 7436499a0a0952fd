import { useTranslation } from 'react-i18next';

export interface RankedEntry {
  id: string;
  name: string;
  distanceM: number;
  /** Present when ranked by road; absent for the straight-line fallback. */
  durationS?: number;
}

/** Metres and seconds as a nurse reads them: "12.4 km", "18 min". */
export function distanceText(metres: number): string {
  return metres >= 1000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres)} m`;
}
export function durationText(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}

/**
 * The facilities nearest the starting point, best first: by road (travel time
 * or distance), then, clearly labelled, by straight line for those the roads
 * do not reach. Each is a button, so the list is the keyboard's way to choose
 * what the map shows.
 */
export function RankedFacilities({ byRoad, byStraightLine, chosen, onChoose }: { byRoad: readonly RankedEntry[]; byStraightLine: readonly RankedEntry[]; chosen: string | undefined; onChoose: (id: string) => void }) {
  const { t } = useTranslation();
  const item = (entry: RankedEntry, road: boolean) => (
    <li key={entry.id}>
      <button type="button" aria-pressed={entry.id === chosen} onClick={() => onChoose(entry.id)} data-testid="ranked-facility" data-facility={entry.id}>
        <span className="ranked-name">{entry.name}</span>{' '}
        <span className="ranked-figures">
          {road && entry.durationS !== undefined ? t('facilities.byRoad', { time: durationText(entry.durationS), distance: distanceText(entry.distanceM) }) : t('facilities.byStraightLine', { distance: distanceText(entry.distanceM) })}
        </span>
      </button>
    </li>
  );
  return (
    <div className="ranked-facilities">
      {byRoad.length > 0 && <ol aria-label={t('facilities.rankedByRoad')}>{byRoad.map((entry) => item(entry, true))}</ol>}
      {byStraightLine.length > 0 && (
        <>
          <p>{byRoad.length > 0 ? t('facilities.alsoStraightLine') : t('facilities.onlyStraightLine')}</p>
          <ol aria-label={t('facilities.rankedByStraightLine')}>{byStraightLine.map((entry) => item(entry, false))}</ol>
        </>
      )}
      {byRoad.length === 0 && byStraightLine.length === 0 && <p>{t('facilities.none')}</p>}
    </div>
  );
}
