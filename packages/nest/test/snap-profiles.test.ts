import { Test } from '@nestjs/testing';
import { testKeyPair } from '#test-kit';
import { startSandbox, type Sandbox } from '@kunci/sandbox';
import { KunciModule, KunciService } from '../src';

// KunciModule reads a config naming two SNAP profiles beside the other providers through the sdk:
// each SNAP entry gets its tokens and its signed client from the sandbox.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: testKeyPair().privateKeyPem });
});
afterAll(() => sandbox.close());

describe('KunciModule with two SNAP profiles (bri, dana) and the other providers', () => {
  it("every entry's token, and each profile's signed client (symmetric for bri, asymmetric for dana)", async () => {
    const config = {
      providers: {
        ...sandbox.config().providers,
        bri: sandbox.config({ snap: 'bri' }).providers.snap,
        dana: sandbox.config({ snap: 'dana' }).providers.snap,
      },
    };
    const moduleRef = await Test.createTestingModule({ imports: [KunciModule.forRoot({ config })] }).compile();
    try {
      const kunci = moduleRef.get(KunciService);
      for (const name of Object.keys(config.providers))
        expect((await kunci.manager(name).getToken()).accessToken).toBeTruthy();
      for (const name of ['bri', 'dana']) {
        const answer = await kunci.client(name).post('/v1.0/debit/status', { originalPartnerReferenceNo: 'INV-9' });
        expect(answer.data).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
      }
    } finally {
      await moduleRef.close();
    }
  });
});
