import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { can } from '../../../app/auth/roles';
import { tileArchiveKinds, type TileArchiveStatus } from '../../../app/contract/region';
import { useApi, useConnectionState } from '../../api/ApiContext';
import { queryKeys } from '../../api/query-keys';
import { Field } from '../../components/Field';
import { useVaultState } from '../../data-client/DataContext';
import { serviceErrorText } from '../../errors';

/**
 * The facility map's optional background on this workstation: a PMTiles file
 * of raster tiles (aerial imagery, or elevation drawn as shaded relief) an
 * administrator adds by its path on this computer (main/region/tile-archive.ts
 * checks and copies it). Without one, the map draws the region's roads and
 * water alone.
 */
export function MapBackgroundSection() {
  const { t } = useTranslation();
  const state = useVaultState();
  const admin = state.status === 'unlocked' && can(state.session.role, 'settings.manage');
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const queryClient = useQueryClient();
  const archive = useQuery({ queryKey: queryKeys.tileArchive, queryFn: () => api.call('region.tiles', {}), enabled: connected && admin });
  const [path, setPath] = useState('');
  const [kind, setKind] = useState<(typeof tileArchiveKinds)[number]>('imagery');
  const settle = (status: TileArchiveStatus) => queryClient.setQueryData(queryKeys.tileArchive, status);
  const add = useMutation({ mutationFn: () => api.call('region.tilesAdd', { path: path.trim(), kind }), onSuccess: (status) => (settle(status), setPath('')) });
  const remove = useMutation({ mutationFn: () => api.call('region.tilesRemove', {}), onSuccess: settle });
  if (!admin) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim()) add.mutate();
  };
  const current = archive.data?.available ? archive.data : undefined;
  return (
    <section aria-labelledby="map-background-title" className="card">
      <h2 id="map-background-title">{t('mapBackground.title')}</h2>
      <p className="muted">{t('mapBackground.help')}</p>
      {current ? (
        <>
          <p data-testid="map-background">
            {t('mapBackground.current', { kind: t(`mapBackground.kinds.${current.kind}`), type: current.tileType.toUpperCase(), min: current.minZoom, max: current.maxZoom, size: `${(current.bytes / 1048576).toFixed(1)} MB` })}
            {current.attribution ? ` · ${current.attribution}` : ''}
          </p>
          <button type="button" className="secondary" onClick={() => remove.mutate()} disabled={remove.isPending}>
            {t('mapBackground.remove')}
          </button>
        </>
      ) : (
        archive.data && <p>{t('mapBackground.none')}</p>
      )}
      <form onSubmit={submit} noValidate>
        <Field label={t('mapBackground.path')} help={t('mapBackground.pathHelp')} value={path} onChange={(event) => setPath(event.target.value)} spellCheck={false} />
        <fieldset>
          <legend>{t('mapBackground.kind')}</legend>
          {tileArchiveKinds.map((choice) => (
            <label key={choice}>
              <input type="radio" name="map-background-kind" value={choice} checked={kind === choice} onChange={() => setKind(choice)} /> {t(`mapBackground.kinds.${choice}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={add.isPending || !path.trim()}>
          {current ? t('mapBackground.replace') : t('mapBackground.add')}
        </button>
      </form>
      {add.isPending && <p role="status">{t('mapBackground.adding')}</p>}
      {(add.error ?? remove.error) && <p role="alert" className="error">{serviceErrorText(t, add.error ?? remove.error)}</p>}
    </section>
  );
}
