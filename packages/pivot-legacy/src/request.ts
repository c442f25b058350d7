import type { PreparedRequest, TokenFlow } from '@kunci/core/provider';

export interface PivotLegacyCredentials {
  path: string;
  merchantId: string;
  merchantSecret: string;
}

/** Pivot's legacy access-token page lists only the two merchant headers; every Pivot endpoint takes JSON. */
export function buildPivotLegacyRequest(credentials: PivotLegacyCredentials): PreparedRequest<TokenFlow> {
  return {
    flow: 'b2b',
    path: credentials.path,
    headers: {
      'Content-Type': 'application/json',
      'X-MERCHANT-ID': credentials.merchantId,
      'X-MERCHANT-SECRET': credentials.merchantSecret,
    },
    body: { grantType: 'client_credentials' },
  };
}
