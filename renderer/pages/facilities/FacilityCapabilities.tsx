import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { facilityCapabilities, type FacilityCapability } from '../../../app/facilities/capabilities';
import type { DirectoryEntry } from '../../../app/facilities/directory-entry';
import { effectiveCapabilities, type FacilityOverride } from '../../../app/facilities/facility-override';
import { phiKey, useData } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';

/** Sealed clinic records: dropped at lock, refetched when records change, as every such query. */
export const overridesKey = [phiKey, 'facility-overrides'] as const;

/** Every capability as an option of a select, in the catalogue's words (the page's filter and the override form). */
export function CapabilityOptions() {
  const { t } = useTranslation();
  return facilityCapabilities.map((c) => (
    <option key={c} value={c}>
      {t(`facilities.capability.${c}`)}
    </option>
  ));
}

/**
 * What the chosen facility can do, as the clinic goes by it: each capability
 * with when and by whom it was last confirmed, the clinic's own statement
 * beside the directory's when the clinic knows better ("no oxygen this
 * week"), and, for an administrator, a form to record one.
 */
export function FacilityCapabilities({ entry, overrides, staffNames, mayOverride }: { entry: DirectoryEntry; overrides: readonly FacilityOverride[]; staffNames: Readonly<Record<string, string>>; mayOverride: boolean }) {
  const { t, i18n } = useTranslation();
  const data = useData();
  const queryClient = useQueryClient();
  const [capability, setCapability] = useState<FacilityCapability>('oxygen');
  const [available, setAvailable] = useState(false);
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: () => data.call('facilities.override', { input: { facilityId: entry.id, capability, available, ...(note.trim() ? { note: note.trim() } : {}) } }),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: overridesKey });
    },
  });
  const known = effectiveCapabilities(entry, overrides);
  const when = (at: string) => new Date(at).toLocaleDateString(i18n.language);
  const who = (by: string) => staffNames[by] ?? by;
  return (
    <section aria-labelledby="capabilities-title" className="facility-capabilities">
      <h2 id="capabilities-title">{t('facilities.capabilities.title')}</h2>
      <ul data-testid="facility-capabilities">
        {facilityCapabilities.flatMap((c) => {
          const status = known[c];
          if (!status) return [];
          return [
            <li key={c} data-capability={c} data-available={status.available}>
              <strong>{t(`facilities.capability.${c}`)}</strong>: {status.available ? t('facilities.capabilities.yes') : t('facilities.capabilities.no')}{' '}
              <span className="capability-source">
                {status.by === 'clinic'
                  ? t('facilities.capabilities.byClinic', { when: when(status.confirmedAt), who: who(status.confirmedBy) })
                  : t('facilities.capabilities.byDirectory', { when: when(status.confirmedAt), who: status.confirmedBy })}
              </span>
              {status.note && <span className="capability-note"> “{status.note}”</span>}
              {status.directory && (
                <span className="capability-directory">
                  {' '}
                  {t('facilities.capabilities.directorySays', { status: status.directory.available ? t('facilities.capabilities.yes') : t('facilities.capabilities.no'), when: when(status.directory.confirmedAt), who: status.directory.confirmedBy })}
                </span>
              )}
            </li>,
          ];
        })}
      </ul>
      {Object.keys(known).length === 0 && <p>{t('facilities.capabilities.unknown')}</p>}
      {mayOverride && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            record.mutate();
          }}
        >
          <fieldset>
            <legend>{t('facilities.capabilities.record')}</legend>
            <label>
              {t('facilities.capabilities.which')}{' '}
              <select value={capability} onChange={(event) => setCapability(event.target.value as FacilityCapability)}>
                <CapabilityOptions />
              </select>
            </label>
            {([true, false] as const).map((value) => (
              <label key={String(value)}>
                <input type="radio" name="override-available" checked={available === value} onChange={() => setAvailable(value)} /> {value ? t('facilities.capabilities.yes') : t('facilities.capabilities.no')}
              </label>
            ))}
            <label>
              {t('facilities.capabilities.note')} <input type="text" value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
            </label>
            <button type="submit" disabled={record.isPending}>
              {t('facilities.capabilities.save')}
            </button>
          </fieldset>
          {record.error && <p role="alert">{serviceErrorText(t, record.error)}</p>}
        </form>
      )}
    </section>
  );
}
