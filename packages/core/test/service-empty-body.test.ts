import { createHash } from 'node:crypto';
import { serviceBody, serviceSignature } from '../src/service-signing';

// What docs/service-calls.md says of `emptyBody`: it is what a call with no body hashes; an empty
// object is a body, sent and hashed as `{}` whatever `emptyBody` says.
describe('an empty object body and no body', () => {
  const parts = { method: 'POST', path: '/v1/x', accessToken: 'token', timestamp: '2026-12-07T07:00:00+07:00' };
  const hashIn = (stringToSign: string): string => stringToSign.split(':')[3] ?? '';
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

  it.each(['', '{}'] as const)("with emptyBody %p, {} hashes '{}' and no body hashes emptyBody", (emptyBody) => {
    expect(serviceBody('pivot-snap', {})).toBe('{}');
    for (const none of [undefined, null, '']) expect(serviceBody('pivot-snap', none)).toBeUndefined();
    const options = { emptyBody, methodCase: 'upper' } as const;
    expect(hashIn(serviceSignature('s', { ...parts, body: '{}' }, options).stringToSign)).toBe(sha256('{}'));
    expect(hashIn(serviceSignature('s', { ...parts, body: undefined }, options).stringToSign)).toBe(sha256(emptyBody));
  });
});
