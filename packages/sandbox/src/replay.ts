import { readFileSync } from 'node:fs';
import { configError } from '@kunci/core/provider';
import type { ProviderConfig } from '@kunci/sdk';
import { configSide } from './config-client';
import { fixtureContract, parseFixture, type ProviderFixture } from './fixture';
import { configStation, interceptStation, type MockedProvider, type MockProviderOptions } from './mock-provider';

export interface ReplayProviderOptions extends MockProviderOptions {
  /** The fixture `recordProvider` wrote: its path, or the parsed document. */
  fixture: string | ProviderFixture;
}

/**
 * Replays a recorded fixture through nock on the config's baseUrl. Each token request must have
 * the recorded shape (method, path, every recorded header, every recorded body field, the fixed
 * values unchanged), and the provider's emulator verifies it for this config (the signature
 * against the public half of its private key, the timestamp window, the secrets); a request that
 * passes gets the recorded answer with fresh tokens and expiries, any other the provider's error.
 */
export function replayProvider(config: ProviderConfig, options: ReplayProviderOptions): MockedProvider {
  const side = configSide(config);
  let document: unknown = options.fixture;
  if (typeof options.fixture === 'string') {
    try {
      document = readFileSync(options.fixture, 'utf8');
    } catch {
      throw configError(side.provider, [`fixture ${options.fixture} cannot be read`]);
    }
  }
  const fixture = parseFixture(document, side.provider);
  const station = configStation(side, options, fixtureContract(fixture, side.known));
  return interceptStation('replayProvider', side, station, options.times);
}
