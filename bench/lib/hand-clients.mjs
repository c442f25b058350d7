// What an application would write without kunci: the same token request, signed the same way
// with a KeyObject parsed once, sent by a bare axios POST or by node's own http client.
import { request as httpRequest } from 'node:http';
import { sign } from 'node:crypto';
import axios from 'axios';

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** `2026-11-22T17:15:30+07:00`: the providers' default timestamp (Jakarta offset, no milliseconds). */
export function jakartaTimestamp(ms) {
  const d = new Date(ms + 7 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+07:00`;
}

const rsa = (key, text) => sign('sha256', Buffer.from(text, 'utf8'), key).toString('base64');

/** Each flow's request, as its provider's page describes it: path, headers and body for one instant. */
export const HAND_REQUESTS = {
  'pivot-snap B2B':
    ({ clientId, privateKey }) =>
    () => {
      const timestamp = jakartaTimestamp(Date.now());
      return {
        path: '/open-api/v1/access-token/b2b',
        headers: {
          'Content-Type': 'application/json',
          'X-TIMESTAMP': timestamp,
          'X-CLIENT-KEY': clientId,
          'X-SIGNATURE': rsa(privateKey, `${clientId}|${timestamp}`),
        },
        body: { grantType: 'client_credentials', additionalInfo: {} },
      };
    },
  'snap B2B':
    ({ clientId, privateKey }) =>
    () => {
      const timestamp = jakartaTimestamp(Date.now());
      return {
        path: '/v1.0/access-token/b2b.htm',
        headers: {
          'Content-Type': 'application/json',
          'X-TIMESTAMP': timestamp,
          'X-CLIENT-KEY': clientId,
          'X-SIGNATURE': rsa(privateKey, `${clientId}|${timestamp}`),
        },
        body: { grantType: 'client_credentials', additionalInfo: {} },
      };
    },
  'pivot-snap B2B2C':
    ({ clientId, privateKey, authCode }) =>
    () => {
      const timestamp = jakartaTimestamp(Date.now());
      return {
        path: '/open-api/v1/access-token/b2b2c',
        headers: {
          'Content-Type': 'application/json',
          'X-TIMESTAMP': timestamp,
          'X-CLIENT-KEY': clientId,
          'X-SIGNATURE': rsa(privateKey, `${clientId}|${timestamp}`),
        },
        body: { grantType: 'authorization_code', authCode, additionalInfo: {} },
      };
    },
  'pivot-legacy':
    ({ merchantId, merchantSecret }) =>
    () => ({
      path: '/v1/access-token',
      headers: { 'Content-Type': 'application/json', 'X-MERCHANT-ID': merchantId, 'X-MERCHANT-SECRET': merchantSecret },
      body: { grantType: 'client_credentials' },
    }),
  klikoo:
    ({ clientId, clientSecret, privateKey }) =>
    () => {
      const timestamp = jakartaTimestamp(Date.now());
      return {
        path: '/v1/open-api/access-token',
        headers: {
          'Content-Type': 'application/json',
          'Open-Api-Timestamp': timestamp,
          'Open-Api-Signature': rsa(privateKey, `${clientId}|${timestamp}`),
        },
        body: {
          grant_type: 'client_credentials',
          additional_info: { client_id: clientId, client_secret: clientSecret },
        },
      };
    },
};

/** A bare axios POST (the default instance, its default transforms): the parsed body. */
export function axiosClient(baseUrl, build) {
  return async () => {
    const { path, headers, body } = build();
    const response = await axios.post(`${baseUrl}${path}`, body, { headers });
    return response.data;
  };
}

/** node:http on the global (keep-alive) agent, nothing else: the parsed body. */
export function rawClient(baseUrl, build) {
  const { hostname, port } = new URL(baseUrl);
  return () =>
    new Promise((resolve, reject) => {
      const { path, headers, body } = build();
      const payload = JSON.stringify(body);
      const req = httpRequest(
        { hostname, port, path, method: 'POST', headers: { ...headers, 'Content-Length': Buffer.byteLength(payload) } },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}
