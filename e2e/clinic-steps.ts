import { expect, type Page } from '@playwright/test';

export const clinicName = 'Kisiwa Health Centre';
export const admin = { name: 'Asha Mbeki', username: 'asha', passphrase: 'tide pools at dawn' };

/** First-run setup through the UI; returns the recovery key shown once, after confirming it was written down. */
export async function setUpClinic(page: Page, url: string): Promise<string> {
  await page.goto(url);
  return finishClinicSetup(page);
}

/** Fills the clinic setup form already on screen (a new clinic, or the first workstation of a clinic on a hub); returns the recovery key. */
export async function finishClinicSetup(page: Page): Promise<string> {
  await page.getByLabel('Clinic name').fill(clinicName);
  await page.getByLabel('Your full name').fill(admin.name);
  await page.getByLabel('User name').fill(admin.username);
  await page.getByLabel('Passphrase', { exact: true }).fill(admin.passphrase);
  await page.getByLabel('Passphrase again').fill(admin.passphrase);
  await page.getByRole('button', { name: 'Set up the clinic' }).click();
  const key = page.getByTestId('recovery-key');
  await expect(key).toHaveText(/^([0-9A-Z]{4}-){12}[0-9A-Z]{4}$/, { timeout: 20_000 });
  const recoveryKey = (await key.textContent()) ?? '';
  await expect(page.getByRole('button', { name: 'Continue' })).toBeDisabled();
  await page.getByLabel('I have written down the recovery key and stored it safely').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
  return recoveryKey;
}

/** Registers a patient from the Patients page and opens their capture screen. */
export async function registerAndCapture(
  page: Page,
  patient: { given: string; family: string; sex: 'Female' | 'Male'; birthDate: string } = { given: 'Halima', family: 'Juma', sex: 'Female', birthDate: '1984-02-09' },
): Promise<void> {
  await page.getByRole('link', { name: 'Register a patient' }).click();
  await page.getByLabel('Given names').fill(patient.given);
  await page.getByLabel('Family name').fill(patient.family);
  await page.getByRole('radio', { name: patient.sex, exact: true }).check();
  await page.getByLabel('Date of birth', { exact: true }).fill(patient.birthDate);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${patient.family.toUpperCase()}, ${patient.given}`);
  await page.getByRole('link', { name: 'Capture readings' }).click();
}

/** Locks, then logs in as `username` through the lock screen. */
export async function switchUser(page: Page, username: string, passphrase: string): Promise<void> {
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
}

/** From the first screen: "Join my clinic's hub" with a hub address and a one-time code. */
export async function joinHub(page: Page, hub: { url: string; code: string; workstationName: string }): Promise<void> {
  await page.getByRole('button', { name: 'Join my clinic’s hub' }).click();
  await page.getByLabel('Hub address').fill(hub.url);
  await page.getByLabel('One-time code').fill(hub.code);
  await page.getByLabel('Name of this workstation').fill(hub.workstationName);
  await page.getByRole('button', { name: 'Join the clinic' }).click();
}

/** On an admin's workstation: Settings, "Make a code" for another workstation; answers the code, shown once. */
export async function makeWorkstationCode(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('The code is valid for').selectOption('4');
  await page.getByRole('button', { name: 'Make a code' }).click();
  const codeText = page.getByTestId('enrollment-code');
  await expect(codeText).toHaveText(/^([0-9A-Z]{5}-){5}[0-9A-Z]{5}$/, { timeout: 20_000 });
  return (await codeText.textContent()) ?? '';
}

/** Logs in on the lock screen. */
export async function logIn(page: Page, username: string, passphrase: string): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-state', 'unlocked');
}

/** An admin adds an account on the Staff page, and sees it listed. */
export async function addStaff(page: Page, person: { name: string; username: string; role: 'nurse' | 'clinician' | 'admin'; passphrase: string }): Promise<void> {
  await page.getByRole('link', { name: 'Staff' }).click();
  await page.getByLabel('Full name').fill(person.name);
  await page.getByLabel('User name').fill(person.username);
  await page.getByLabel('Role', { exact: true }).selectOption(person.role);
  await page.getByLabel('First passphrase', { exact: true }).fill(person.passphrase);
  await page.getByLabel('First passphrase again').fill(person.passphrase);
  await page.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('cell', { name: person.name })).toBeVisible();
}

/** On the capture screen: types a temperature, and a blood pressure when given, and stores them. */
export async function storeVitals(page: Page, vitals: { temperature: string; systolic?: string; diastolic?: string }): Promise<void> {
  const form = page.getByTestId('manual-entry');
  await form.getByLabel('Temperature (°C)').fill(vitals.temperature);
  if (vitals.systolic !== undefined) await form.getByLabel('Systolic blood pressure (mmHg)').fill(vitals.systolic);
  if (vitals.diastolic !== undefined) await form.getByLabel('Diastolic blood pressure (mmHg) (required)').fill(vitals.diastolic);
  await form.getByRole('button', { name: 'Store vital signs' }).click();
  await expect(form.getByRole('status')).toHaveText('Stored in the chart.');
}
