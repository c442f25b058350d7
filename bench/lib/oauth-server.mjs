import { startHttpServer } from './http-server.mjs';
import { randomToken } from './tokens.mjs';

/**
 * A token endpoint on 127.0.0.1 that answers like an RFC 6749 server: `POST /token` with a form
 * body (JSON accepted too) for `client_credentials` (client id and secret in the body or in HTTP
 * Basic) and `refresh_token`; a fresh 43-character token each time, `expires_in` 900. What the
 * peers' client-credentials and refresh paths expect; it counts the requests it served.
 */
export async function startOAuthServer({ clientId, clientSecret, refreshToken }) {
  let requests = 0;
  const server = await startHttpServer((req, text, res) => {
    requests++;
    const form = (req.headers['content-type'] ?? '').includes('json')
      ? new URLSearchParams(JSON.parse(text))
      : new URLSearchParams(text);
    let [id, secret] = [form.get('client_id'), form.get('client_secret')];
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic !== null)
      [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
    const grant = form.get('grant_type');
    const ok =
      req.method === 'POST' &&
      req.url === '/token' &&
      id === clientId &&
      secret === clientSecret &&
      (grant === 'client_credentials' || (grant === 'refresh_token' && form.get('refresh_token') === refreshToken));
    const body = ok
      ? { access_token: randomToken(), token_type: 'Bearer', expires_in: 900 }
      : { error: grant === 'refresh_token' ? 'invalid_grant' : 'invalid_client' };
    res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  });
  return {
    url: `${server.origin}/token`,
    get requests() {
      return requests;
    },
    close: server.close,
  };
}
