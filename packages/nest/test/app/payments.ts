import { request } from 'node:http';
import { Controller, Get, Injectable, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AxiosInstance } from 'axios';
import type { TokenManager } from '@kunci/core';
import { InjectKunciClient, InjectTokenManager, KunciModule, KunciService, type KunciModuleOptions } from '../../src';

/** A service of the application: it calls the provider's API through the injected client. */
@Injectable()
export class PaymentsService {
  constructor(
    @InjectKunciClient('pivot') private readonly pivot: AxiosInstance,
    @InjectTokenManager('legacy') private readonly legacyTokens: TokenManager,
    private readonly kunci: KunciService,
  ) {}

  async balance(): Promise<unknown> {
    const { data } = await this.pivot.post<unknown>('/api/v1.0/balance-inquiry', { accountNo: '0012' });
    return data;
  }

  async legacyTokenType(): Promise<string> {
    return (await this.legacyTokens.getToken()).tokenType;
  }

  async klikooStatus(): Promise<unknown> {
    const { data } = await this.kunci.client('klikoo').get<unknown>('/api/v1/status');
    return data;
  }
}

@Controller()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Get('balance')
  balance(): Promise<unknown> {
    return this.payments.balance();
  }

  @Get('legacy-token')
  async legacyToken(): Promise<{ tokenType: string }> {
    return { tokenType: await this.payments.legacyTokenType() };
  }

  @Get('klikoo-status')
  klikooStatus(): Promise<unknown> {
    return this.payments.klikooStatus();
  }
}

/** The application's root module around a KunciModule (from forRoot or forRootAsync). */
export function appModule(kunci: DynamicModule): DynamicModule {
  @Module({})
  class AppModule {}
  return { module: AppModule, imports: [kunci], controllers: [PaymentsController], providers: [PaymentsService] };
}

/** A real HTTP application on 127.0.0.1, on a port the OS picks. */
export async function startHttpApp(options: KunciModuleOptions): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(appModule(KunciModule.forRoot(options)), { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** GET over a fresh connection (no keep-alive): the caller holds no socket afterwards. */
export function httpGet(url: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
