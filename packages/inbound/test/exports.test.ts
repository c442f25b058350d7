import { join } from 'node:path';
import { entryNames } from '../../core/test/entry-names';
import * as main from '../src';
import * as expressEntry from '../src/entries/express';

const src = join(__dirname, '..', 'src');

// Each entry point's public names: a change of API shows in this file's diff.
describe('@kunci/inbound entry points', () => {
  it('@kunci/inbound: the framework-free API', () => {
    expect(entryNames(join(src, 'index.ts'), main)).toEqual({
      values: [
        'DEFAULT_BODY_TIMEOUT_MS',
        'DEFAULT_MAX_BODY_BYTES',
        'DEFAULT_MAX_SKEW_SECONDS',
        'DEFAULT_MAX_STORE_ENTRIES',
        'DEFAULT_REPLAY_WINDOW_SECONDS',
        'DEFAULT_TOKEN_LIFETIME_SECONDS',
        'KLIKOO_CALLBACK_FIELDS',
        'MemoryInboundStore',
        'PIVOT_CALLBACK_HEADER',
        'createInbound',
        'inboundProfile',
        'readRawBody',
      ],
      types: [
        'Inbound',
        'InboundAnswer',
        'InboundCommonConfig',
        'InboundConfig',
        'InboundNotification',
        'InboundProfile',
        'InboundRequest',
        'InboundStore',
        'KlikooInboundConfig',
        'MemoryInboundStoreOptions',
        'NotificationScheme',
        'PivotInboundConfig',
        'ReadRawBodyOptions',
        'SnapInboundConfig',
        'SnapRoute',
      ],
    });
  });

  it('@kunci/inbound/express: the Express adapter (loads without express)', () => {
    expect(entryNames(join(src, 'entries', 'express.ts'), expressEntry)).toEqual({
      values: ['notificationOf', 'sendAnswer', 'tokenEndpoint', 'verifyNotification'],
      types: ['InboundMiddleware', 'InboundMiddlewareOptions'],
    });
  });
});
