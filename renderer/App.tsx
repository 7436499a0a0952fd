import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { useApi, useConnectionState } from './api/ApiContext';
import { Frame } from './frame/Frame';
import { applyLocale } from './i18n/i18n';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';

export const settingsQueryKey = ['settings'] as const;

export function App() {
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const settings = useQuery({ queryKey: settingsQueryKey, queryFn: () => api.call('settings.get', {}), enabled: connected });
  const locale = settings.data?.locale;
  useEffect(() => {
    if (locale) applyLocale(locale);
  }, [locale]);

  return (
    <Routes>
      <Route element={<Frame />}>
        <Route index element={<HomePage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
