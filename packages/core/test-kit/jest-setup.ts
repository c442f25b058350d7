import http from 'node:http';

// node's http module is shared by every test file of a jest worker, while each file loads its own
// nock. A file that loads nock (which patches http on load) and never restores it leaves its
// interceptors in front of the next file's requests: sockets destroyed under that stale layer
// surface as unhandled errors in an unrelated test. After each file, a patch that file made is
// undone through that file's own nock.
const requestAtStart = http.request;

afterAll(() => {
  if (http.request === requestAtStart) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nock = require('nock') as typeof import('nock');
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
