import { FIXED_NOW, testKeyPair } from '#test-kit';
import { formatTimestamp, verifyRsaSha256 } from '@kunci/core/provider';

/** The test client: a UUID v4 and a 32-character secret, as Klikoo issues them. */
export const CLIENT_ID = '7d1e5b8a-2c4f-4a9e-9b3d-6f0a1c2e4b58';
export const CLIENT_SECRET = 'c3a1f09e7b2d48e5a6c7d8e9f0a1b2c3';
export const BASE_URL = 'https://b2b-openapi.klikoo.example';
export const TOKEN_PATH = '/v1/open-api/access-token';
export const TIMESTAMP_AT_FIXED_NOW = formatTimestamp(FIXED_NOW);

export function validKlikooConfig(): Record<string, unknown> {
  return {
    provider: 'klikoo',
    baseUrl: BASE_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    privateKey: testKeyPair().privateKeyPem,
  };
}

export function expectedBody(clientId = CLIENT_ID, clientSecret = CLIENT_SECRET): unknown {
  return { grant_type: 'client_credentials', additional_info: { client_id: clientId, client_secret: clientSecret } };
}

/** Checks a token request as Klikoo would: headers, the signature with the public key, the exact body. */
export function klikooRequestProblems(
  headers: Record<string, string>,
  body: unknown,
  timestamp = TIMESTAMP_AT_FIXED_NOW,
): string[] {
  const problems: string[] = [];
  const sent = headers['open-api-timestamp'] ?? '';
  if (headers['content-type'] !== 'application/json') problems.push('Content-Type must be application/json');
  if (sent !== timestamp) problems.push(`Open-Api-Timestamp must be ${timestamp}, got ${sent}`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/.test(sent))
    problems.push('Open-Api-Timestamp must be yyyy-MM-ddTHH:mm:ssXXX');
  if (!verifyRsaSha256(testKeyPair().publicKey, `${CLIENT_ID}|${sent}`, headers['open-api-signature'] ?? '')) {
    problems.push('Open-Api-Signature must verify with the public key over client_id|Open-Api-Timestamp');
  }
  for (const name of ['x-client-key', 'x-signature', 'x-timestamp', 'authorization']) {
    if (headers[name] !== undefined) problems.push(`${name} must not be sent`);
  }
  if (JSON.stringify(body) !== JSON.stringify(expectedBody()))
    problems.push('body must be exactly the documented client_credentials body');
  return problems;
}
