// The token libraries an application would pick instead of kunci, each set up the way its README
// shows, against the loopback token endpoint of ./oauth-server.mjs. Bench code only: the peers are
// dev dependencies of the repository root, never of a published package.
import { OAuth2Client as BadgatewayClient, OAuth2Fetch } from '@badgateway/oauth2-client';
import axios from 'axios';
import { clientCredentials } from 'axios-oauth-client';
import tokenInterceptor from 'axios-token-interceptor';
import { OAuth2Client as GoogleOAuth2Client } from 'google-auth-library';

export const PEER_CLIENT = Object.freeze({
  clientId: 'bench-peer-client',
  clientSecret: 'bench-peer-secret-0123456789abcdef',
  refreshToken: 'bench-peer-refresh-0123456789abcdef',
});

/**
 * Each peer: `name`, what its cached path is (`cachedPath`), and `create(url)`, a new client whose
 * `get()` takes the library's cached path (a token request on the first call, or when expired).
 * `singleFlight` says whether the library shares one request among concurrent callers.
 */
export const PEERS = [
  {
    name: '@badgateway/oauth2-client',
    cachedPath: '`OAuth2Fetch.getToken()` (client credentials)',
    create(url) {
      const client = new BadgatewayClient({
        tokenEndpoint: url,
        clientId: PEER_CLIENT.clientId,
        clientSecret: PEER_CLIENT.clientSecret,
        authenticationMethod: 'client_secret_post',
      });
      const wrapper = new OAuth2Fetch({
        client,
        getNewToken: () => client.clientCredentials(),
        scheduleRefresh: false,
      });
      return { get: () => wrapper.getToken(), accessToken: (token) => token.accessToken };
    },
  },
  {
    name: 'axios-oauth-client + axios-token-interceptor',
    cachedPath: '`tokenCache(clientCredentials(…))()`, the cache its interceptor calls',
    create(url) {
      const grant = clientCredentials(axios.create(), url, PEER_CLIENT.clientId, PEER_CLIENT.clientSecret);
      const cache = tokenInterceptor.tokenCache(() => grant(), { getMaxAge: (body) => body.expires_in * 1000 });
      return { get: cache, accessToken: (body) => body.access_token };
    },
  },
  {
    name: 'google-auth-library',
    cachedPath: '`OAuth2Client.getAccessToken()` (refresh-token credentials)',
    create(url) {
      const client = new GoogleOAuth2Client({
        clientId: PEER_CLIENT.clientId,
        clientSecret: PEER_CLIENT.clientSecret,
        endpoints: { oauth2TokenUrl: url },
      });
      client.setCredentials({ refresh_token: PEER_CLIENT.refreshToken });
      return { get: () => client.getAccessToken(), accessToken: (result) => result.token };
    },
  },
];

/** axios-oauth-client alone, as its README shows it: every call is a token request (no cache). */
export const UNCACHED_PEER = {
  name: 'axios-oauth-client alone',
  create(url) {
    const grant = clientCredentials(axios.create(), url, PEER_CLIENT.clientId, PEER_CLIENT.clientSecret);
    return { get: () => grant(), accessToken: (body) => body.access_token };
  },
};
