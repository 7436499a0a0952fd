import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json';
import fr from '../../i18n/fr.json';
import { entryAgeText } from './age-text';

async function translator(language: 'en' | 'fr') {
  const instance = i18next.createInstance();
  await instance.init({ lng: language, resources: { en: { translation: en }, fr: { translation: fr } } });
  return instance.t;
}

describe('entryAgeText', () => {
  const now = new Date('2026-06-01T12:00:00');

  it('shows an estimated age as "about N years", grown since registration, never as a year', async () => {
    const t = await translator('en');
    const text = entryAgeText(t, { estimatedAge: { years: 68, registeredAt: '2024-03-01T09:00:00.000Z' } }, now);
    expect(text).toBe('about 70 years');
    expect(text).not.toMatch(/19\d\d/);
    const fr = await translator('fr');
    expect(entryAgeText(fr, { estimatedAge: { years: 68, registeredAt: '2024-03-01T09:00:00.000Z' } }, now)).toBe('environ 70 ans');
  });

  it('shows the birth year from a known date of birth, and nothing when neither is known', async () => {
    const t = await translator('en');
    expect(entryAgeText(t, { birthYear: 1956 }, now)).toBe('Born 1956');
    expect(entryAgeText(t, {}, now)).toBeUndefined();
  });
});
