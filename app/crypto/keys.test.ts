import { describe, expect, it } from 'vitest';
import { generateDataKey, generateRecoveryKey, pbkdf2Iterations, unwrapWithPassphrase, unwrapWithRecoveryKey, wrapWithPassphrase, wrapWithRecoveryKey } from './keys';

const sameKey = async (a: CryptoKey, b: CryptoKey) =>
  Buffer.from(await crypto.subtle.exportKey('raw', a)).equals(Buffer.from(await crypto.subtle.exportKey('raw', b)));

describe('data key wrapping', () => {
  it('wraps under a passphrase with at least 600,000 PBKDF2 iterations and unwraps the same key', async () => {
    const key = await generateDataKey();
    const wrap = await wrapWithPassphrase(key, 'correct horse battery');
    expect(wrap.iterations).toBeGreaterThanOrEqual(600_000);
    expect(wrap.iterations).toBe(pbkdf2Iterations);
    expect(await sameKey(await unwrapWithPassphrase(wrap, 'correct horse battery'), key)).toBe(true);
  });

  it('refuses a wrong passphrase with a clear error', async () => {
    const wrap = await wrapWithPassphrase(await generateDataKey(), 'correct horse battery', 1000);
    await expect(unwrapWithPassphrase(wrap, 'correct horse batterz')).rejects.toMatchObject({ code: 'wrong_passphrase' });
  });

  it('treats the same passphrase typed with composed or decomposed accents alike', async () => {
    const key = await generateDataKey();
    const wrap = await wrapWithPassphrase(key, 'Éléphant rosé 2026', 1000);
    expect(await sameKey(await unwrapWithPassphrase(wrap, 'Éléphant rosé 2026'.normalize('NFD')), key)).toBe(true);
  });

  it('recovers the key with the recovery key, typed loosely (lowercase, no dashes, O for 0)', async () => {
    const key = await generateDataKey();
    const recovery = generateRecoveryKey();
    expect(recovery).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){12}[0-9A-HJKMNP-TV-Z]{4}$/);
    const wrap = await wrapWithRecoveryKey(key, recovery);
    const typed = recovery.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o');
    expect(await sameKey(await unwrapWithRecoveryKey(wrap, typed), key)).toBe(true);
  });

  it('refuses another recovery key and text that is not one', async () => {
    const wrap = await wrapWithRecoveryKey(await generateDataKey(), generateRecoveryKey());
    await expect(unwrapWithRecoveryKey(wrap, generateRecoveryKey())).rejects.toMatchObject({ code: 'wrong_recovery_key' });
    await expect(unwrapWithRecoveryKey(wrap, 'hello')).rejects.toMatchObject({ code: 'wrong_recovery_key' });
  });
});
