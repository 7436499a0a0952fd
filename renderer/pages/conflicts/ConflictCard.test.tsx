import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeHlc } from '../../../app/records/hlc';
import { resources } from '../../i18n/i18n';
import type { ConflictView } from '../../../app/contract/data-api';
import { workstationNamesKey } from '../../vault/use-workstation-names';
import { ConflictCard } from './ConflictCard';

const here = 'ws-0000000000000000000000000000aaaa';
const ward = 'ws-0123456789abcdef0123456789a1b2c3';

// The card reads the unlocked session and the vault from their context; what it
// shows comes from the query cache, filled below as the vault would fill it.
vi.mock('../../data-client/DataContext', () => {
  const session = { userId: 'user-asha', role: 'clinician', workstationId: 'ws-0000000000000000000000000000aaaa' };
  return {
    phiKey: 'phi',
    useData: () => ({}),
    useSession: () => session,
    useVaultState: () => ({ status: 'unlocked', session }),
  };
});

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources, lng: 'en', interpolation: { escapeValue: false } });
});

const at = (iso: string, node: string) => encodeHlc({ wallMs: Date.parse(iso), counter: 0, node });

const conflict: ConflictView = {
  id: 'conflict-1',
  patientId: 'pat-1',
  recordId: 'pat-1',
  recordType: 'patient',
  field: 'familyName',
  kept: { value: 'Diallo-Traoré', hlc: at('2026-12-05T14:02:00Z', here) },
  other: { value: 'Dialo', hlc: at('2026-12-05T14:01:00Z', ward) },
  detectedAt: '2026-12-05T14:03:00Z',
  keptBy: { userId: 'user-asha', workstationId: here, displayName: 'Asha Admin' },
  otherBy: { userId: 'user-mary', workstationId: ward, displayName: 'Mary Banda' },
};

/** The card as the server renders it, with the workstation names this workstation has. */
function render(workstationNames: Record<string, string> | undefined): string {
  const client = new QueryClient();
  if (workstationNames) client.setQueryData(workstationNamesKey, workstationNames);
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <I18nextProvider i18n={i18n}>
        <MemoryRouter>
          <ConflictCard conflict={conflict} />
        </MemoryRouter>
      </I18nextProvider>
    </QueryClientProvider>,
  );
}

/** The text of the element with this test id (a paragraph of plain text). */
function textOf(html: string, testId: string): string | undefined {
  return new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html)?.[1];
}

describe('ConflictCard', () => {
  it('names the other workstation and who entered each value there, and this one as this workstation', () => {
    const html = render({ [here]: 'Front desk', [ward]: 'Ward' });
    expect(textOf(html, 'conflict-other-origin')).toMatch(/^Entered by Mary Banda on Ward, \w{3} \d{1,2}, 2026/);
    expect(textOf(html, 'conflict-kept-origin')).toMatch(/^Entered by Asha Admin on this workstation, \w{3} \d{1,2}, 2026/);
  });

  it('shows the end of the other workstation’s id until its name has arrived', () => {
    for (const names of [undefined, { [here]: 'Front desk' }]) {
      expect(textOf(render(names), 'conflict-other-origin')).toMatch(/^Entered by Mary Banda on another workstation \(…a1b2c3\), /);
    }
  });
});
