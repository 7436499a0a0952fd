import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useDevices } from '../../devices/use-devices';
import { errorText } from '../../errors';
import { phiKey, useSession, useData } from '../../data-client/DataContext';
import { DeviceList } from './DeviceList';
import { ManualEntryForm } from './ManualEntryForm';
import type { ConfirmedReadings } from './run-view';
import { RunPanel } from './RunPanel';
import { observationsFromReadings } from './to-observations';
import { usePatient } from '../patients/use-patient';

/** Capture for one patient: devices, their live values or downloads, and manual entry. */
export function CapturePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const data = useData();
  const session = useSession();
  const queryClient = useQueryClient();
  const patient = usePatient(id);
  const devices = useDevices();

  const store = async ({ readings, onOxygen }: ConfirmedReadings) => {
    await data.call('observations.record', { drafts: observationsFromReadings(readings, { patientId: id, userId: session.userId, onOxygen, now: new Date() }) });
    await queryClient.invalidateQueries({ queryKey: [phiKey, 'observations', id] });
  };

  if (patient.isError) return <p className="error">{errorText(t, patient.error)}</p>;
  return (
    <section aria-labelledby="capture-title">
      <div className="page-head">
        <h1 id="capture-title">
          {t('capture.title')}
          {patient.data && `: ${patient.data.familyName.toUpperCase()}, ${patient.data.givenNames}`}
        </h1>
        <Link className="button secondary" to={`/patients/${id}`}>
          {t('capture.backToChart')}
        </Link>
      </div>
      <div className="card">
        <h2>{t('capture.devices')}</h2>
        {devices.unreadable && (
          <p role="alert" className="error" data-testid="devices-unreadable">
            {t('capture.unreadable')}
          </p>
        )}
        <DeviceList devices={devices.devices} onStart={devices.start} />
      </div>
      {Object.values(devices.runs).map((view) => (
        <RunPanel key={view.runId} run={view} onStore={store} onStop={() => void devices.stop(view.runId)} />
      ))}
      <ManualEntryForm patientId={id} />
    </section>
  );
}
