import { useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openClinicDatabase } from '../store/database';
import { createVault, type Vault, type VaultState } from '../store/vault';

const VaultContext = createContext<Vault | null>(null);

/** Query keys under this prefix hold decrypted data; they are removed whenever the vault locks. */
export const phiKey = 'phi';

/** Opens the encrypted store in this browser's IndexedDB once, and provides it to every screen. */
export function VaultProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [vault, setVault] = useState<Vault | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    openClinicDatabase(getRxStorageDexie())
      .then((db) => createVault(db))
      .then((opened) => {
        if (!cancelled) setVault(opened);
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(
    () =>
      vault?.subscribe((state) => {
        if (state.status !== 'unlocked') queryClient.removeQueries({ queryKey: [phiKey] });
      }),
    [vault, queryClient],
  );

  if (failed) return <p className="error page-message">{t('store.openFailed')}</p>;
  if (!vault) return <p className="page-message">{t('store.opening')}</p>;
  return <VaultContext.Provider value={vault}>{children}</VaultContext.Provider>;
}

export function useVault(): Vault {
  const vault = useContext(VaultContext);
  if (!vault) throw new Error('VaultProvider is missing');
  return vault;
}

export function useVaultState(): VaultState {
  const vault = useVault();
  return useSyncExternalStore(vault.subscribe, () => vault.state);
}

/** The unlocked session; only for screens rendered behind the lock. */
export function useSession() {
  const state = useVaultState();
  if (state.status !== 'unlocked') throw new Error('useSession outside an unlocked vault');
  return state.session;
}
