import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi, useConnectionState } from '../api/ApiContext';
import { queryKeys } from '../api/query-keys';
import { ClinicSetupForm, type HubIds } from './setup/ClinicSetupForm';
import { JoinHubForm } from './setup/JoinHubForm';
import { useData } from '../data-client/DataContext';

/**
 * First run: set up a new clinic here, or join the clinic's hub. A
 * workstation already enrolled with the hub without the clinic's key (its
 * first workstation, perhaps before a reload) goes straight to the setup
 * form, with the hub's ids, and may forget that link to join again (the
 * wrong hub, or a keyless code for a clinic whose key is elsewhere).
 */
export function SetupPage() {
  const api = useApi();
  const connected = useConnectionState() === 'connected';
  const link = useQuery({ queryKey: queryKeys.hubStatus, queryFn: () => api.call('hub.status', {}), enabled: connected });
  const [joining, setJoining] = useState(false);
  const [joinedIds, setJoinedIds] = useState<HubIds>();
  const linkedIds = link.data?.linked ? { clinicId: link.data.clinicId, workstationId: link.data.workstationId } : undefined;
  const hubIds = joinedIds ?? linkedIds;
  const data = useData();
  const queryClient = useQueryClient();
  const leaveHub = async () => {
    await data.call('hub.leave', {});
    setJoinedIds(undefined);
    await queryClient.invalidateQueries({ queryKey: queryKeys.hubStatus });
    setJoining(true);
  };

  if (joining && !hubIds) return <JoinHubForm onNeedsSetup={setJoinedIds} onCancel={() => setJoining(false)} />;
  return <ClinicSetupForm hubIds={hubIds} onJoinInstead={hubIds ? undefined : () => setJoining(true)} onLeaveHub={leaveHub} />;
}
