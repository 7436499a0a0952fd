import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../../app/auth/roles';
import { resources } from '../../i18n/i18n';
import type { KeptAsideArrival } from '../../../app/contract/data-api';
import { KeptAsideNotice } from './KeptAsideNotice';
import { keptAsideKey } from './use-kept-aside';

// The notice reads the unlocked session and the data client from their context; what
// it lists comes from the query cache, filled below as the vault would fill it.
const session: { role: Role } = vi.hoisted(() => ({ role: 'admin' }));
vi.mock('../../data-client/DataContext', () => ({
  phiKey: 'phi',
  useData: () => ({}),
  useSession: () => session,
  useVaultState: () => ({ status: 'unlocked', session }),
}));

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources, lng: 'en', interpolation: { escapeValue: false } });
});

const arrivals: KeptAsideArrival[] = [
  { id: 'kept-aside-1', recordId: 'pat-1', recordType: 'patient', arrivedAt: Date.parse('2026-12-05T14:02:00Z') },
  { id: 'kept-aside-2', recordId: 'obs-7', recordType: 'observation', arrivedAt: Date.parse('2026-12-05T13:00:00Z') },
];

function render(role: Role, listed: KeptAsideArrival[]): string {
  session.role = role;
  const client = new QueryClient();
  client.setQueryData(keptAsideKey, listed);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <I18nextProvider i18n={i18n}>
        <KeptAsideNotice />
      </I18nextProvider>
    </QueryClientProvider>,
  );
}

describe('KeptAsideNotice', () => {
  it('tells an administrator in plain words, listing each arrival’s kind, id and time with a way to dismiss it', () => {
    const html = render('admin', arrivals);
    expect(html).toContain('2 records arrived from the hub that could not be opened; this workstation kept its own versions. They may have been altered, or written by a workstation without the clinic key.');
    expect(html).toContain('Patient pat-1, arrived');
    expect(html).toContain('Observation obs-7, arrived');
    expect(html.match(/Reviewed, dismiss/g)).toHaveLength(2);
  });

  it('shows nothing to a role that does not review them, or when there is nothing kept aside', () => {
    expect(render('clinician', arrivals)).toBe('');
    expect(render('admin', [])).toBe('');
  });
});
