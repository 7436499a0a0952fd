import { useEffect } from 'react';
import { Route, Routes } from 'react-router';
import { useSettings } from './api/use-settings';
import { Frame } from './frame/Frame';
import { applyLocale } from './i18n/i18n';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';

export function App() {
  const locale = useSettings().data?.locale;
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
