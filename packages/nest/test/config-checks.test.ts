import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AxiosInstance } from 'axios';
import type { TokenManager } from '@kunci/core';
import { expectNoSecrets } from '#test-kit';
import { InjectKunciClient, InjectTokenManager, KunciModule, KunciService, type KunciModuleOptions } from '../src';
import { caught, useOpened, useStandIn } from './harness';

const server = useStandIn();
const opened = useOpened();

const randomName = (): string => `n${randomBytes(4).toString('hex')}`;

// Decorated classes that no module of any test below uses: each asks for a name no config has.
const UNUSED = randomName();
@Injectable()
export class NeverProvided {
  constructor(@InjectKunciClient(UNUSED) readonly client: AxiosInstance) {}
}
@Injectable()
export class AlsoNeverProvided {
  @InjectTokenManager(`${UNUSED}-property`) readonly tokens!: TokenManager;
}

// The class of an application that injects a name its config lacks.
const MISSING = randomName();
@Injectable()
class NeedsMissing {
  constructor(@InjectKunciClient(MISSING) readonly client: AxiosInstance) {}
}

describe('names injected by classes that no module uses', () => {
  it('break no forRoot and no forRootAsync bootstrap', async () => {
    for (const kunci of [
      KunciModule.forRoot({ config: server().config() }),
      KunciModule.forRootAsync({ useFactory: () => ({ config: server().config() }) }),
      KunciModule.forRoot({ config: server().config(), isGlobal: true }),
    ]) {
      const moduleRef = await Test.createTestingModule({ imports: [kunci] }).compile();
      opened.push(moduleRef);
      expect(moduleRef.get(KunciService).names()).toEqual(['pivot', 'legacy', 'klikoo']);
    }
  });

  it('a class of the application that injects a name the config lacks still fails the bootstrap, naming both', async () => {
    for (const global of [false, true]) {
      @Module({
        imports: [KunciModule.forRoot({ config: server().config(), isGlobal: global })],
        providers: [NeedsMissing],
      })
      class AppModule {}
      const error = await caught(Test.createTestingModule({ imports: [AppModule] }).compile());
      expect(error).toMatchObject({ name: 'AuthError', code: 'CONFIG_INVALID' });
      const message = (error as Error).message;
      expect(message).toContain(`names no provider "${MISSING}", which the application injects (in NeedsMissing)`);
      expect(message).not.toContain(UNUSED);
    }
  });

  it('a feature module that imports the module through another one (re-exported) is checked too', async () => {
    const kunci = KunciModule.forRootAsync({ useFactory: () => ({ config: server().config() }) });
    @Module({ imports: [kunci], exports: [kunci] })
    class KunciHolder {}
    @Module({ imports: [KunciHolder], providers: [NeedsMissing] })
    class Feature {}
    const error = await caught(Test.createTestingModule({ imports: [Feature] }).compile());
    expect((error as Error).message).toContain(`"${MISSING}"`);
  });
});

describe('a bad config reports every problem in one CONFIG_INVALID', () => {
  type Planted = { options: Partial<KunciModuleOptions>; expect: string[] };
  const plants: Record<string, () => Planted> = {
    'a bad entry': () => ({ options: {}, expect: ['"pivot"', 'baseUrl'] }),
    'an injected name the config lacks': () => ({ options: {}, expect: [`names no provider "${MISSING}"`] }),
    'managers for a name the config lacks': () => {
      const stranger = randomName();
      return { options: { managers: { [stranger]: {} } }, expect: [`managers has options for "${stranger}"`] };
    },
    'bad manager options of a bad entry': () => ({
      options: { managers: { pivot: { refreshBeforeSeconds: -randomInt(1, 1000) } } },
      expect: ['managers["pivot"]: Invalid TokenManager options', 'refreshBeforeSeconds'],
    }),
    'bad manager options of a good entry': () => ({
      options: { managers: { klikoo: { maxEntries: 0 } } },
      expect: ['managers["klikoo"]: Invalid TokenManager options', 'maxEntries'],
    }),
    'a store given twice': () => ({
      options: {
        store: { get: () => Promise.resolve(undefined), set: () => Promise.resolve(), delete: () => Promise.resolve() },
      },
      expect: ['names a store and the module options give one too (store)'],
    }),
  };

  it('whatever the mix of problems (random subsets), with no secret in it', async () => {
    const kinds = Object.keys(plants);
    for (let round = 0; round < 12; round++) {
      const chosen = kinds.filter(() => Math.random() < 0.5);
      if (!chosen.includes('a bad entry')) chosen.push('a bad entry');
      const planted = chosen.map((kind) => (plants[kind] as () => Planted)());
      const config = server().config();
      const options: KunciModuleOptions = {
        config: {
          providers: { ...config.providers, pivot: { ...config.providers.pivot, baseUrl: 'ftp://nowhere' } },
          ...(chosen.includes('a store given twice') ? { store: { redis: 'redis://127.0.0.1:1' } } : {}),
        },
      };
      for (const plant of planted) {
        Object.assign(options, { ...plant.options, managers: { ...options.managers, ...plant.options.managers } });
      }
      const providers = chosen.includes('an injected name the config lacks') ? [NeedsMissing] : [];
      @Module({ imports: [KunciModule.forRoot(options)], providers })
      class AppModule {}
      const error = await caught(Test.createTestingModule({ imports: [AppModule] }).compile());
      expect(error).toMatchObject({ name: 'AuthError', code: 'CONFIG_INVALID' });
      const message = (error as Error).message;
      for (const plant of planted) for (const text of plant.expect) expect(message).toContain(text);
      expectNoSecrets(error, server().secrets);
    }
  });

  it('names each problem of a store of the wrong shape once, beside a bad entry, whether the config is an object or a file', async () => {
    const config = server().config();
    const bad = {
      providers: { ...config.providers, pivot: { ...config.providers.pivot, baseUrl: 'ftp://nowhere' } },
      store: { redis: 5, prefx: 'p:' },
    };
    const dir = mkdtempSync(join(tmpdir(), 'kunci-nest-'));
    const file = join(dir, 'kunci.config.json');
    writeFileSync(file, JSON.stringify(bad));
    try {
      for (const given of [bad, file]) {
        const error = await caught(
          Test.createTestingModule({ imports: [KunciModule.forRoot({ config: given as never })] }).compile(),
        );
        const message = (error as Error).message;
        expect(message.split('store.redis must be').length - 1).toBe(1);
        expect(message.split('store.prefx is not a known option').length - 1).toBe(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
