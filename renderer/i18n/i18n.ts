import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../app/settings/settings';
import en from './en.json';
import fr from './fr.json';

/** Every user-facing string goes through here; English is the reference catalogue. */
export const resources = { en: { translation: en }, fr: { translation: fr } } as const;

export function initI18n(locale: Locale = 'en') {
  void i18next.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  return i18next;
}

export function applyLocale(locale: Locale): void {
  void i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}
