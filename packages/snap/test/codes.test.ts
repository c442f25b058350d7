import type { AuthErrorCode } from '@kunci/core';
import { SNAP_CASES, SNAP_SERVICE_CODES, snapErrorCode, snapRejectedToken } from '../src';

// The response-code table: HTTP status (3) + service (2) + case (2), mapped for every service code
// kunci meets. Token calls read it in the normalizer; API calls' 401s in the interceptor.
describe('the SNAP response-code table', () => {
  const services = Object.keys(SNAP_SERVICE_CODES);

  it('holds the token services and the service calls kunci signs', () => {
    expect(services).toEqual(expect.arrayContaining(['73', '74', '24', '25', '43', '54', '55', '56']));
  });

  const rows: Array<[string, string, AuthErrorCode, AuthErrorCode]> = [
    // status+case, message, on a B2B request, on a B2B2C request
    ['40000', 'Bad Request', 'REQUEST_REJECTED', 'REQUEST_REJECTED'],
    ['40001', 'Invalid Field Format X-TIMESTAMP', 'TIMESTAMP_REJECTED', 'TIMESTAMP_REJECTED'],
    ['40001', 'Invalid Field Format amount', 'REQUEST_REJECTED', 'REQUEST_REJECTED'],
    ['40002', 'Invalid Mandatory Field X-TIMESTAMP', 'TIMESTAMP_REJECTED', 'TIMESTAMP_REJECTED'],
    ['40100', 'Unauthorized. Invalid Signature', 'SIGNATURE_REJECTED', 'SIGNATURE_REJECTED'],
    ['40100', 'Unauthorized. Unknown Client', 'CREDENTIALS_REJECTED', 'CREDENTIALS_REJECTED'],
    ['40101', 'Invalid Token (B2B)', 'CREDENTIALS_REJECTED', 'GRANT_REJECTED'],
    ['40102', 'Invalid Customer Token', 'GRANT_REJECTED', 'GRANT_REJECTED'],
    ['40103', 'Token Not Found (B2B)', 'CREDENTIALS_REJECTED', 'GRANT_REJECTED'],
    ['40104', 'Customer Token Not Found', 'GRANT_REJECTED', 'GRANT_REJECTED'],
    ['40300', 'Transaction Expired', 'ACCESS_DENIED', 'ACCESS_DENIED'],
    ['40314', 'Insufficient Funds', 'ACCESS_DENIED', 'ACCESS_DENIED'],
    ['40401', 'Transaction Not Found', 'REQUEST_REJECTED', 'REQUEST_REJECTED'],
    ['40900', 'Conflict', 'REQUEST_REJECTED', 'REQUEST_REJECTED'],
    ['42900', 'Too Many Requests', 'RATE_LIMITED', 'RATE_LIMITED'],
    ['50000', 'General Error', 'PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE'],
    ['50001', 'Internal Server Error', 'PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE'],
    ['50002', 'External Server Error', 'PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE'],
    ['50400', 'Timeout', 'PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE'],
  ];

  for (const service of services) {
    it.each(rows)(`service ${service}: ${'%s'} "%s" → %s (B2B), %s (B2B2C)`, (statusCase, message, b2b, b2b2c) => {
      const code = `${statusCase.slice(0, 3)}${service}${statusCase.slice(3)}`;
      expect([snapErrorCode(code, message, 'b2b'), snapErrorCode(code, message, 'b2b2c')]).toEqual([b2b, b2b2c]);
    });
  }

  it.each(services)(
    'service %s: a 401 names the token it rejects (01/03 the B2B token, 02/04 the customer’s)',
    (service) => {
      expect(['00', '01', '02', '03', '04'].map((kase) => snapRejectedToken(`401${service}${kase}`))).toEqual([
        false,
        'access',
        'customer',
        'access',
        'customer',
      ]);
      expect(snapRejectedToken(`403${service}01`)).toBe(false);
    },
  );

  it('what is not a SNAP code maps to nothing', () => {
    expect(snapErrorCode('401', 'x', 'b2b')).toBeUndefined();
    expect(snapErrorCode('40173001', 'x', 'b2b')).toBeUndefined();
    expect(snapRejectedToken('not-a-code')).toBe(false);
  });

  it('every row of the table is one status and case', () => {
    const keys = SNAP_CASES.map((row) => `${row.status}${row.case}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
