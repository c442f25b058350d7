import type { TimestampFormat } from '@kunci/core/provider';

/** How a service call (any call after the token) is signed. */
export type SnapServiceSignature = 'symmetric' | 'asymmetric';

/**
 * What the body hash is taken over: `'compact'` removes whitespace outside strings (JSON as
 * `JSON.stringify` writes it: key order and nulls kept); `'strip-all'` removes every whitespace
 * character, inside strings too, as some providers' examples do.
 */
export type SnapMinify = 'compact' | 'strip-all';

/** How the provider signs what it sends to the backend (read by the inbound side). */
export type SnapNotificationScheme = SnapServiceSignature | 'unsigned';

export type SnapCustomerGrantType = 'authorization_code' | 'AUTHORIZATION_CODE';

export const SNAP_CUSTOMER_GRANT_TYPES: readonly SnapCustomerGrantType[] = Object.freeze([
  'authorization_code',
  'AUTHORIZATION_CODE',
]);

/** A provider's settings: every one of them can be overridden in config. */
export interface SnapSettings {
  /** The token endpoints under `baseUrl`. */
  paths: Readonly<{ b2b: string; b2b2c: string }>;
  /** How X-TIMESTAMP is written (and signed). */
  timestamp: Readonly<TimestampFormat>;
  /**
   * `'symmetric'`: Base64(HMAC-SHA512(clientSecret, `METHOD:path:B2B token:bodyHash:timestamp`)).
   * `'asymmetric'`: Base64(SHA256withRSA(privateKey, `METHOD:path:bodyHash:timestamp`)).
   */
  serviceSignature: SnapServiceSignature;
  /** Whether `Authorization: Bearer <B2B token>` goes with an asymmetric service call. */
  tokenWithAsymmetric: boolean;
  minify: SnapMinify;
  /** How the provider's notifications to the backend are signed. */
  notification: SnapNotificationScheme;
  /** The B2B2C grant type as the provider writes it (the standard names it AUTHORIZATION_CODE, its sample sends lower case). */
  customerGrantType: SnapCustomerGrantType;
}

/** Where a value of a profile comes from: an address, or a repository and a path. */
export type SnapSources = Readonly<Record<keyof SnapSettings, string>>;

/** A notification the provider sends to the backend: its service code and the success code answered. */
export interface SnapNotificationRoute {
  readonly serviceCode: string;
  readonly ackCode: string;
}

export interface SnapProfile extends SnapSettings {
  /** The notifications the provider's pages name, by path (the backend's routes), with where they say so. */
  readonly notificationRoutes?: Readonly<Record<string, SnapNotificationRoute>> | undefined;
  readonly notificationRoutesSource?: string | undefined;
  readonly name: string;
  /** Who the profile stands for. */
  readonly title: string;
  /** The page (or public code) behind each setting. */
  readonly sources: SnapSources;
  /** Where the pages are silent or disagree: the reading taken, and the setting that changes it. */
  readonly readings: readonly string[];
}

export type SnapProfileName = 'aspi' | 'pivot' | 'bri' | 'doku' | 'midtrans' | 'dana';

const ASPI_KEAMANAN =
  'https://apidevportal.aspi-indonesia.or.id/api-services/keamanan (SNAP Developer Site, "Keamanan"; copy: github.com/mseptiaan/snap-aspi-go aspi/keamanan.md)';
const JAKARTA: TimestampFormat = { offset: '+07:00', milliseconds: false };

function profile(value: SnapProfile): SnapProfile {
  return Object.freeze({
    ...value,
    ...(value.notificationRoutes !== undefined
      ? { notificationRoutes: Object.freeze({ ...value.notificationRoutes }) }
      : {}),
    paths: Object.freeze({ ...value.paths }),
    timestamp: Object.freeze({ ...value.timestamp }),
    sources: Object.freeze({ ...value.sources }),
    readings: Object.freeze([...value.readings]),
  });
}

/** The standard's own settings: what a profile does not say, it takes from here. */
const aspi = profile({
  name: 'aspi',
  notificationRoutes: {
    '/v1.0/transfer-va/payment': { serviceCode: '25', ackCode: '2002500' },
    '/v1.0/debit/notify': { serviceCode: '56', ackCode: '2005600' },
  },
  notificationRoutesSource: `the standard's service codes 25 (virtual account payment) and 56 (direct debit notify), ${ASPI_KEAMANAN}`,
  title: "SNAP, the standard's own defaults (ASPI)",
  paths: { b2b: '/v1.0/access-token/b2b', b2b2c: '/v1.0/access-token/b2b2c' },
  timestamp: JAKARTA,
  serviceSignature: 'symmetric',
  tokenWithAsymmetric: false,
  minify: 'compact',
  notification: 'asymmetric',
  customerGrantType: 'authorization_code',
  sources: {
    paths: `${ASPI_KEAMANAN}: "Path ../{version}/access-token/b2b" and "…/b2b2c", version v1.0`,
    timestamp: `${ASPI_KEAMANAN}: "yyyy-MM-ddTHH:mm:ssTZD", examples "2020-12-17T10:55:00+07:00"`,
    serviceSignature: `${ASPI_KEAMANAN}: X-SIGNATURE "1 - Symmetric Signature with Get Token … Default Value: 1"`,
    tokenWithAsymmetric: `${ASPI_KEAMANAN}: "2 - Asymmetric Signature without Get Token" (Authorization is "Conditional")`,
    minify: `${ASPI_KEAMANAN}: "Lowercase(HexEncode(SHA-256(minify(RequestBody))))", an empty body is the empty string`,
    notification:
      'https://github.com/TheArKaID/snap-bi-signer-js README.md: "PJP API access your API … created by PJP API using their private key"',
    customerGrantType: `${ASPI_KEAMANAN}: B2B2C sample request "grantType":"authorization_code" (the field table says AUTHORIZATION_CODE or REFRESH_TOKEN)`,
  },
  readings: [
    'The standard gives no offset: +07:00 (every example). timestamp.offset changes it.',
    "Notification routes: the standard's paths for the virtual-account payment flag (service 25) and the direct-debit notify (service 56), acknowledged with 200 + service + 00.",
    '"minify" is not defined further: whitespace outside strings is removed, as JSON.stringify writes. signing.minify changes it.',
  ],
});

const pivot = profile({
  name: 'pivot',
  title: 'Pivot Payment (SNAP)',
  paths: { b2b: '/open-api/v1/access-token/b2b', b2b2c: '/open-api/v1/access-token/b2b2c' },
  timestamp: JAKARTA,
  serviceSignature: 'symmetric',
  tokenWithAsymmetric: false,
  minify: 'compact',
  notification: 'unsigned',
  customerGrantType: 'authorization_code',
  sources: {
    paths:
      "Pivot's SNAP access-token page (seeds/ beside shared/protocols.md, §1): POST {base}/open-api/v1/access-token/b2b and /b2b2c",
    timestamp:
      "Pivot's service pages: yyyy-MM-dd'T'HH:mm:ssXXX (the access-token page prints yyyy-MM-ddTHH:mm:ssTZD with a hyphen missing); shared/protocols.md §1",
    serviceSignature:
      "Pivot's SNAP service pages: HMAC-SHA512(clientSecret, METHOD:path:accessToken:bodyHash:timestamp); shared/protocols.md §1",
    tokenWithAsymmetric: 'Pivot documents no asymmetric service signature (shared/protocols.md §1)',
    minify: "Pivot's SNAP service pages: minify removes whitespace only; shared/protocols.md §1",
    notification: "Pivot's payment callbacks carry a static X-API-Key, no signature (shared/protocols.md §6)",
    customerGrantType:
      "Pivot's SNAP access-token page: B2B2C body grantType authorization_code with authCode and refreshToken (shared/protocols.md §1)",
  },
  readings: [
    'An older revision of the docs shows /snap/v1.0/access-token/b2b: paths changes it.',
    'The access-token page has no offset rule: +07:00 without milliseconds. timestamp changes it.',
  ],
});

const bri = profile({
  name: 'bri',
  title: 'Bank Rakyat Indonesia (BRIAPI SNAP)',
  paths: { b2b: '/snap/v1.0/access-token/b2b', b2b2c: '/snap/v1.0/access-token/b2b2c' },
  timestamp: { offset: '+07:00', milliseconds: true },
  serviceSignature: 'symmetric',
  tokenWithAsymmetric: false,
  minify: 'compact',
  notification: 'asymmetric',
  customerGrantType: 'authorization_code',
  sources: {
    paths: 'https://developers.bri.co.id/en/snap-bi/apidocs-oauth-snap-bi: "Path /snap/v1.0/access-token/b2b"',
    timestamp:
      'https://developers.bri.co.id/en/snap-bi/apidocs-oauth-snap-bi: X-TIMESTAMP "yyyy-MM-ddTHH:mm:ss.SSSTZD format"',
    serviceSignature: `https://developers.bri.co.id/en/snap-bi/apidocs-oauth-snap-bi ("Access Token and Signature"); the standard's default (${ASPI_KEAMANAN})`,
    tokenWithAsymmetric: 'BRI documents no asymmetric service signature',
    minify: `the standard's minify (${ASPI_KEAMANAN})`,
    notification: `the standard's provider-to-partner signature (${ASPI_KEAMANAN})`,
    customerGrantType: `the standard's sample (${ASPI_KEAMANAN})`,
  },
  readings: [
    "The B2B2C token path is not on the OAuth page: /snap/v1.0/access-token/b2b2c, the B2B path with the standard's last segment. paths.b2b2c changes it.",
    'TZD is read as +07:00 (the page says local time). timestamp.offset changes it.',
  ],
});

const doku = profile({
  name: 'doku',
  title: 'DOKU (SNAP)',
  paths: { b2b: '/authorization/v1/access-token/b2b', b2b2c: '/authorization/v1/access-token/b2b2c' },
  timestamp: { offset: 'Z', milliseconds: false },
  serviceSignature: 'symmetric',
  tokenWithAsymmetric: false,
  minify: 'compact',
  notification: 'symmetric',
  customerGrantType: 'authorization_code',
  sources: {
    paths:
      'https://developers.doku.com/accept-payments/direct-api/snap/integration-guide/get-token-api/b2b ("Path /authorization/v1/access-token/b2b") and …/get-token-api/b2b2c',
    timestamp:
      'https://developers.doku.com/accept-payments/direct-api/snap/integration-guide/get-token-api/b2b: "Timestamp request on UTC time in ISO8601 UTC+0 format … 2020-09-22T01:51:00Z"',
    serviceSignature:
      'https://developers.doku.com/get-started-with-doku-api/signature-component/snap: symmetric "For transaction request such as Create VA, …", asymmetric "For Get Token B2B and Get Token B2B2C"',
    tokenWithAsymmetric: 'DOKU documents no asymmetric service signature',
    minify:
      'github.com/PTNUSASATUINTIARTHA-DOKU/doku-nodejs-library _services/tokenService.js: jsonminify(JSON.stringify(body)) (whitespace outside strings)',
    notification:
      'https://developers.doku.com/get-started-with-doku-api/signature-component/snap: "When DOKU hits merchant endpoints … Symmetric Signature"',
    customerGrantType:
      'https://developers.doku.com/accept-payments/direct-api/snap/integration-guide/get-token-api/b2b2c: sample body "grantType":"authorization_code"',
  },
  readings: [
    "The header table asks for UTC with Z while the same page's example header shows +07:00: Z is taken (the rule, not the example). timestamp.offset changes it.",
  ],
});

const midtrans = profile({
  name: 'midtrans',
  title: 'Midtrans (SNAP BI)',
  paths: { b2b: '/v1.0/access-token/b2b', b2b2c: '/v1.0/access-token/b2b2c' },
  timestamp: JAKARTA,
  serviceSignature: 'symmetric',
  tokenWithAsymmetric: false,
  minify: 'compact',
  notification: 'asymmetric',
  customerGrantType: 'authorization_code',
  sources: {
    paths:
      'github.com/Midtrans SnapBi clients (Java and Node: SnapBi.ACCESS_TOKEN = "/v1.0/access-token/b2b"); shared/protocols.md §5',
    timestamp:
      'https://docs.midtrans.com/reference/signature-generation-payouts: "X-TIMESTAMP: 2023-01-01T00:00:00+07:00"',
    serviceSignature:
      'github.com/Midtrans SnapBi clients: getSymmetricSignatureHmacSh512 and buildSnapBiTransactionHeader (Authorization + HMAC-SHA512)',
    tokenWithAsymmetric: 'Midtrans documents no asymmetric service signature',
    minify:
      'github.com/Midtrans/SNAP-BI-Signature-Demo sample-code/symmetricSignature/xSignatureGenerationNode.js: JSON.stringify(JSON.parse(body))',
    notification:
      'github.com/Midtrans/SNAP-BI-Signature-Demo sample-code/asymmetricSignatureNotificationVerification/xSignatureVerificationNode.js',
    customerGrantType: `the standard's sample (${ASPI_KEAMANAN})`,
  },
  readings: [
    "Midtrans' signature demo signs new Date().toISOString() (milliseconds, Z) while the docs' example header is +07:00 without milliseconds: the docs are taken. timestamp changes it.",
    "No B2B2C token path is documented for SnapBi: the standard's /v1.0/access-token/b2b2c. paths.b2b2c changes it.",
  ],
});

const dana = profile({
  name: 'dana',
  title: 'DANA (SNAP)',
  paths: { b2b: '/v1.0/access-token/b2b.htm', b2b2c: '/v1.0/access-token/b2b2c.htm' },
  timestamp: JAKARTA,
  serviceSignature: 'asymmetric',
  tokenWithAsymmetric: false,
  minify: 'compact',
  notification: 'asymmetric',
  customerGrantType: 'AUTHORIZATION_CODE',
  sources: {
    paths:
      'https://dashboard.dana.id/api-docs-v2/api/dana-widget/apply-token ("POST /v1.0/access-token/b2b2c.htm"); the B2B path /v1.0/access-token/b2b.htm as github.com/dana-id/dana-node and public DANA clients call it',
    timestamp:
      'https://dashboard.dana.id/api-docs-v2/guide/authentication: X-TIMESTAMP "in format YYYY-MM-DDTHH:mm:ss+07:00 (GMT+7)", example 2022-11-30T09:45:35+07:00',
    serviceSignature:
      'https://dashboard.dana.id/api-docs-v2/guide/authentication: "Bank Indonesia mandates the use of Asymmetric Signature Authentication"',
    tokenWithAsymmetric:
      'https://dashboard.dana.id/api-docs-v2/guide/authentication (asymmetric, no token) and …/authentication-symmetric ("Symmetric Signature Authentication combined with a B2B Access Token")',
    minify: `the standard's minify (${ASPI_KEAMANAN})`,
    notification:
      'https://dashboard.dana.id/api-docs-v2/guide/authentication: "DANA Public Key" given to verify what DANA sends',
    customerGrantType:
      'https://dashboard.dana.id/api-docs-v2/api/dana-widget/apply-token: "grantType": "AUTHORIZATION_CODE"',
  },
  notificationRoutes: { '/v1.0/debit/notify': { serviceCode: '56', ackCode: '2005600' } },
  notificationRoutesSource: `the standard's direct-debit notify (service 56, ${ASPI_KEAMANAN}), which DANA's Finish Notify follows`,
  readings: ['DANA offers a symmetric mode with a B2B token too: serviceSignature: "symmetric" chooses it.'],
});

/** The built-in profiles by name, each with the page behind every setting. */
export const SNAP_PROFILES: Readonly<Record<SnapProfileName, SnapProfile>> = Object.freeze({
  aspi,
  pivot,
  bri,
  doku,
  midtrans,
  dana,
});

export const SNAP_PROFILE_NAMES: readonly SnapProfileName[] = Object.freeze(
  Object.keys(SNAP_PROFILES) as SnapProfileName[],
);

export const DEFAULT_SNAP_PROFILE: SnapProfileName = 'aspi';
