import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { AxiosInstance } from 'axios';
import { isAuthError, TokenManager, type AccessToken, type TokenProvider } from '@kunci/core';
import { expectNoSecrets } from '#test-kit';
import {
  getKunciClientToken,
  getTokenManagerToken,
  getTokenProviderToken,
  InjectKunciClient,
  InjectTokenProvider,
  KunciModule,
  KunciService,
} from '../src';
import { appModule, httpGet, PaymentsService, startHttpApp } from './app/payments';
import { caught, useOpened, useStandIn } from './harness';

const server = useStandIn();
const opened = useOpened();

describe('KunciModule.forRoot in a real HTTP application', () => {
  it('a controller whose service injects a client gets an authorized answer from the provider API', async () => {
    const { app, url } = await startHttpApp({ config: server().config() });
    opened.push(app);
    const before = server().requests.length;
    await expect(httpGet(`${url}/balance`)).resolves.toEqual({
      status: 200,
      body: { authorized: true, path: '/api/v1.0/balance-inquiry' },
    });
    await expect(httpGet(`${url}/balance`)).resolves.toMatchObject({ status: 200 });
    const seen = server()
      .requests.slice(before)
      .map((request) => request.path);
    // One token request, then two API calls carrying that token.
    expect(seen).toEqual(['/open-api/v1/access-token/b2b', '/api/v1.0/balance-inquiry', '/api/v1.0/balance-inquiry']);
    await expect(httpGet(`${url}/legacy-token`)).resolves.toEqual({ status: 200, body: { tokenType: 'Bearer' } });
    await expect(httpGet(`${url}/klikoo-status`)).resolves.toEqual({
      status: 200,
      body: { authorized: true, path: '/api/v1/status' },
    });
  });

  it('app.close() closes every manager and detaches the interceptors', async () => {
    const { app } = await startHttpApp({ config: server().config() });
    const kunci = app.get(KunciService);
    const client = app.get<AxiosInstance>(getKunciClientToken('pivot'));
    expect(kunci.client('pivot')).toBe(client);
    await app.close();
    await expect(kunci.manager('pivot').getToken()).rejects.toMatchObject({ name: 'TokenManagerClosedError' });
    // No interceptor left: the request goes out without a token, and the API says so.
    const answer = await client.post('/api/v1.0/balance-inquiry', {}, { validateStatus: () => true });
    expect(answer.status).toBe(401);
    expect(answer.config.headers.Authorization).toBeUndefined();
  });
});

describe('KunciModule with Test.createTestingModule', () => {
  it('gives each named provider a TokenProvider, a TokenManager and a client, by token and by KunciService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [appModule(KunciModule.forRoot({ config: server().config(), manager: { refreshBeforeSeconds: 30 } }))],
    }).compile();
    opened.push(moduleRef);
    const kunci = moduleRef.get(KunciService);
    expect(kunci.names()).toEqual(['pivot', 'legacy', 'klikoo']);
    for (const name of kunci.names()) {
      expect(moduleRef.get(getTokenManagerToken(name))).toBe(kunci.manager(name));
      expect(moduleRef.get(getTokenProviderToken(name))).toBe(kunci.provider(name));
      expect(moduleRef.get(getKunciClientToken(name))).toBe(kunci.client(name));
      expect(kunci.manager(name)).toBeInstanceOf(TokenManager);
      expect(kunci.client(name).defaults.baseURL).toBe(server().url);
    }
    expect(kunci.provider('legacy').provider).toBe('pivot-legacy');
    await expect(moduleRef.get(PaymentsService).balance()).resolves.toEqual({
      authorized: true,
      path: '/api/v1.0/balance-inquiry',
    });
    const unknown = (() => {
      try {
        kunci.manager('stripe');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(unknown).toMatchObject({ name: 'AuthError', code: 'CONFIG_INVALID' });
    expect(String((unknown as Error).message)).toContain('"pivot", "legacy", "klikoo"');
  });

  it('overrideProvider with a fake manager: the client and the service get the fake', async () => {
    const fakeToken = `fake-${Math.random().toString(36).slice(2)}`;
    const calls: string[] = [];
    const fake = {
      getToken: (): Promise<Pick<AccessToken, 'accessToken' | 'tokenType'>> => {
        calls.push('getToken');
        return Promise.resolve({ accessToken: fakeToken, tokenType: 'Bearer' });
      },
    };
    const moduleRef = await Test.createTestingModule({
      imports: [appModule(KunciModule.forRoot({ config: server().config() }))],
    })
      .overrideProvider(getTokenManagerToken('legacy'))
      .useValue(fake)
      .compile();
    opened.push(moduleRef);
    const before = server().requests.length;
    await expect(moduleRef.get(PaymentsService).legacyTokenType()).resolves.toBe('Bearer');
    expect(calls).toEqual(['getToken']);
    expect(moduleRef.get(getTokenManagerToken('legacy'))).toBe(fake);
    // The fake answered: nothing reached the provider.
    expect(server().requests.length).toBe(before);
  });

  it('isGlobal: a module that does not import KunciModule injects by name', async () => {
    @Injectable()
    class Elsewhere {
      constructor(
        @InjectKunciClient('klikoo') readonly client: AxiosInstance,
        @InjectTokenProvider('pivot') readonly provider: TokenProvider,
      ) {}
    }
    @Module({ providers: [Elsewhere] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [KunciModule.forRoot({ config: server().config(), isGlobal: true }), FeatureModule],
    }).compile();
    opened.push(moduleRef);
    const elsewhere = moduleRef.get(Elsewhere);
    expect(elsewhere.client).toBe(moduleRef.get(KunciService).client('klikoo'));
    expect(elsewhere.provider.provider).toBe('pivot-snap');
  });

  it('without isGlobal, a module that does not import KunciModule cannot inject it', async () => {
    @Injectable()
    class Elsewhere {
      constructor(@InjectKunciClient('klikoo') readonly client: AxiosInstance) {}
    }
    @Module({ providers: [Elsewhere] })
    class FeatureModule {}
    await expect(
      Test.createTestingModule({
        imports: [KunciModule.forRoot({ config: server().config() }), FeatureModule],
      }).compile(),
    ).rejects.toThrow(/KunciClient:klikoo/);
  });
});

describe('KunciModule.forRootAsync', () => {
  it('reads the config from ConfigService; named injection works without listing the names', async () => {
    const kunci = KunciModule.forRootAsync({
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ kunci: server().config() })] })],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        config: config.getOrThrow('kunci'),
        manager: { refreshBeforeSeconds: 45 },
      }),
    });
    const app = await NestFactory.create(appModule(kunci), { logger: false, abortOnError: false });
    opened.push(app);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    await expect(httpGet(`${url}/balance`)).resolves.toEqual({
      status: 200,
      body: { authorized: true, path: '/api/v1.0/balance-inquiry' },
    });
    expect(app.get(KunciService).names()).toEqual(['pivot', 'legacy', 'klikoo']);
  });

  it('an async factory: the options may come from a promise', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        appModule(KunciModule.forRootAsync({ useFactory: () => Promise.resolve({ config: server().config() }) })),
      ],
    }).compile();
    opened.push(moduleRef);
    await expect(moduleRef.get(PaymentsService).klikooStatus()).resolves.toEqual({
      authorized: true,
      path: '/api/v1/status',
    });
  });
});

describe('a bad config fails bootstrap with CONFIG_INVALID', () => {
  function badConfig(): unknown {
    const config = server().config();
    return {
      providers: {
        ...config.providers,
        pivot: { ...config.providers.pivot, baseUrl: 'ftp://nowhere' },
        klikoo: { ...config.providers.klikoo, clientId: 'not-a-uuid' },
      },
    };
  }

  it('NestFactory.create rejects with one error naming every bad entry, secrets kept out', async () => {
    const error = await caught(
      NestFactory.create(appModule(KunciModule.forRoot({ config: badConfig() as never })), {
        logger: false,
        abortOnError: false,
      }),
    );
    expect(isAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).toContain('"pivot"');
    expect(message).toContain('"klikoo"');
    expect(message).not.toContain('"legacy"');
    expectNoSecrets(error, server().secrets);
  });

  it('forRootAsync: the same, at bootstrap, not at the first request', async () => {
    const error = await caught(
      Test.createTestingModule({
        imports: [appModule(KunciModule.forRootAsync({ useFactory: () => ({ config: badConfig() as never }) }))],
      }).compile(),
    );
    expect(error).toMatchObject({ name: 'AuthError', code: 'CONFIG_INVALID' });
  });

  it('a name the application injects but the config lacks, and bad manager options, in one error', async () => {
    const { legacy, klikoo } = server().config().providers;
    const error = await caught(
      Test.createTestingModule({
        imports: [
          appModule(
            KunciModule.forRoot({
              config: { providers: { legacy, klikoo } },
              managers: { klikoo: { refreshBeforeSeconds: -1 }, stripe: {} },
            }),
          ),
        ],
      }).compile(),
    );
    expect(error).toMatchObject({ name: 'AuthError', code: 'CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).toMatch(/3 invalid entries/);
    expect(message).toContain('names no provider "pivot", which the application injects');
    expect(message).toContain('"stripe"');
    expect(message).toContain('managers["klikoo"]: Invalid TokenManager options');
  });

  it('a config file path that does not exist', async () => {
    const error = await caught(
      Test.createTestingModule({
        imports: [KunciModule.forRoot({ config: '/nonexistent/kunci.config.json' })],
      }).compile(),
    );
    expect(error).toMatchObject({ name: 'AuthError', code: 'CONFIG_INVALID' });
    expect((error as Error).message).toContain('/nonexistent/kunci.config.json cannot be read');
  });
});
