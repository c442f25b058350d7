import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Controller, Get, Injectable, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AxiosInstance } from 'axios';
import type { TokenManager } from '@kunci/core';
import { createInbound, type InboundNotification } from '@kunci/inbound';
import {
  InjectKunciClient,
  InjectTokenManager,
  KunciModule,
  KunciService,
  VerifiedNotification,
  VerifyNotification,
  type KunciModuleOptions,
} from '../../src';

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

/** The provider's key pair of the notification route: Midtrans' published demo key, a fixture of @kunci/snap's tests. */
export const NOTIFIER_KEY = createPrivateKey(
  readFileSync(join(__dirname, '..', '..', '..', 'snap', 'test', 'fixtures', 'midtrans-demo-key.pem')),
);
export const NOTIFY_PATH = '/v1.0/debit/notify';

const notifications = createInbound({
  provider: 'snap',
  scheme: 'asymmetric',
  clientId: 'nest-app-partner',
  publicKey: createPublicKey(NOTIFIER_KEY).export({ type: 'spki', format: 'pem' }).toString(),
  routes: { [NOTIFY_PATH]: { serviceCode: '56' } },
});

/** Where a SNAP provider notifies the application, verified by kunci's guard. */
@Controller()
export class NotificationsController {
  @Post(NOTIFY_PATH)
  @VerifyNotification(notifications)
  notify(@VerifiedNotification() notification: InboundNotification): Record<string, unknown> {
    return notifications.reply(notification).body;
  }
}

/** The application's root module around a KunciModule (from forRoot or forRootAsync). */
export function appModule(kunci: DynamicModule): DynamicModule {
  @Module({})
  class AppModule {}
  return {
    module: AppModule,
    imports: [kunci],
    controllers: [PaymentsController, NotificationsController],
    providers: [PaymentsService],
  };
}

/** A real HTTP application on 127.0.0.1, on a port the OS picks. */
export async function startHttpApp(options: KunciModuleOptions): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(appModule(KunciModule.forRoot(options)), {
    logger: false,
    abortOnError: false,
    // The bytes a provider signed, kept for the notification route's guard.
    rawBody: true,
  });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url };
}

/** GET over a fresh connection (no keep-alive): the caller holds no socket afterwards. */
export function httpGet(url: string): Promise<{ status: number; body: unknown }> {
  return httpRequest(url, 'GET', {});
}

/** POST of a text over a fresh connection. */
export function httpPost(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: unknown }> {
  return httpRequest(url, 'POST', headers, body);
}

function httpRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { ...headers, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
