import { describe, expect, it } from 'vitest';
import { generateDataKey, generateRecoveryKey, unwrapWithRecoveryKey, wrapWithRecoveryKey } from '../crypto/keys';
import { openRecord, sealRecord } from '../records/sealed-record';
import { composeEnrollmentCode, generateCodeSecret, generateHubPart } from './enrollment-code';
import { openEnrollmentPackage, sealEnrollmentPackage } from './enrollment-package';

const clinicId = `clinic-${'a'.repeat(32)}`;

describe('the enrollment package', () => {
  it('carries the data key, the clinic name and a recovery wrap that still opens with the recovery key, within the hub’s limits', async () => {
    const dataKey = await generateDataKey();
    const recoveryKey = generateRecoveryKey();
    const secretPart = generateCodeSecret();
    const code = composeEnrollmentCode(secretPart, generateHubPart());
    const pack = await sealEnrollmentPackage(dataKey, secretPart, clinicId, { clinicName: 'Kibaha Health Centre', recoveryWrap: await wrapWithRecoveryKey(dataKey, recoveryKey) });
    expect(pack).toMatch(/^[A-Za-z0-9+/=._-]{1,4096}$/);
    expect(pack).not.toContain('Kibaha');

    const opened = await openEnrollmentPackage(pack, code.toLowerCase().replace(/-/g, ' '), clinicId);
    expect(opened.clinicName).toBe('Kibaha Health Centre');
    const record = await sealRecord(dataKey, { id: 'pat-1', type: 'patient', clinicId, subject: 'pat-1', updatedAt: 1, hlc: '000000000000001-00000-ws', deleted: false }, { givenNames: 'Amina' });
    expect(await openRecord(opened.dataKey, record)).toEqual({ givenNames: 'Amina' });
    expect(await openRecord(await unwrapWithRecoveryKey(opened.recoveryWrap, recoveryKey), record)).toEqual({ givenNames: 'Amina' });
  });

  it('refuses another code, another clinic and a damaged package, in plain words', async () => {
    const dataKey = await generateDataKey();
    const secretPart = generateCodeSecret();
    const code = composeEnrollmentCode(secretPart, generateHubPart());
    const pack = await sealEnrollmentPackage(dataKey, secretPart, clinicId, { clinicName: 'X clinic', recoveryWrap: await wrapWithRecoveryKey(dataKey, generateRecoveryKey()) });
    await expect(openEnrollmentPackage(pack, composeEnrollmentCode(generateCodeSecret(), generateHubPart()), clinicId)).rejects.toMatchObject({ code: 'wrong_code' });
    await expect(openEnrollmentPackage(pack, code, `clinic-${'b'.repeat(32)}`)).rejects.toMatchObject({ code: 'malformed_wrap' });
    await expect(openEnrollmentPackage(pack.slice(0, 40), code, clinicId)).rejects.toMatchObject({ code: 'malformed_wrap' });
  });
});
