import { isAuthError } from '@kunci/core';
import { SeededRandom } from '../../core/test-kit/hostile-bodies';
import type { Inbound } from '../src';
import { CLIENT_SECRET, debitParts, NOW, PARTNER_ID, providerKey, snapInbound } from './fixtures';
import { jakartaTimestamp, signAsymmetric, signSymmetric, signTokenRequest, type SignedNotification } from './signer';

const CASES = 120;
const random = SeededRandom.fromEnv();
const seed = `KUNCI_TEST_SEED=${random.seed}`;

const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '  ',
  '\t',
  'é',
  'ß',
  '漢字',
  '🙂',
  '"',
  '\\',
  '/',
  '\n',
  'Rp 150.000,00',
  '{',
  ':',
  ',',
];

function randomString(): string {
  let text = '';
  const length = random.int(6);
  for (let i = 0; i < length; i++) text += random.pick(PIECES);
  return text;
}

function randomValue(depth: number): unknown {
  const kind = random.int(depth > 2 ? 4 : 6);
  if (kind === 0) return randomString();
  if (kind === 1) return random.int(2) === 0 ? random.int(1_000_000) : -random.next() * 1000;
  if (kind === 2) return random.pick([true, false, null]);
  if (kind === 3) return `  ${randomString()}  inner  spaces  `;
  if (kind === 4) return Array.from({ length: random.int(4) }, () => randomValue(depth + 1));
  return randomObject(depth + 1);
}

let sequence = 0;

/** Each top-level body carries its own reference, as notifications do (two equal bodies at one instant are one notification). */
function randomBody(): Record<string, unknown> {
  sequence += 1;
  return { partnerReferenceNo: `REF-${sequence}`, ...randomObject() };
}

function randomObject(depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const size = 1 + random.int(5);
  for (let i = 0; i < size; i++) object[`${randomString()}k${i}`] = randomValue(depth);
  return object;
}

/** Pretty-printed or compact: JSON.stringify's indents (spaces, tabs, a CRLF-ish mix) or none. */
const randomIndent = (): number | string => random.pick([0, 0, 1, 2, 4, '\t', ' \t', '\r\n']);

/** Positions of bytes outside JSON strings that are whitespace (not covered by the signature). */
function insignificant(text: Buffer): Set<number> {
  const out = new Set<number>();
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) out.add(i);
  }
  return out;
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

type Tampered = Omit<SignedNotification, 'body'> & { body: Buffer };

/** The body with one byte changed, skipping whitespace-for-whitespace outside strings (SNAP minifies it away). */
function changeOneByte(notification: SignedNotification): {
  request: Tampered;
  where: string;
} {
  const bytes = Buffer.from(notification.body, 'utf8');
  const free = insignificant(bytes);
  for (;;) {
    const at = random.int(bytes.length);
    const to = random.int(256);
    if (to === bytes[at]) continue;
    if (free.has(at) && WHITESPACE.has(to)) continue;
    const changed = Buffer.from(bytes);
    changed[at] = to;
    return { request: { ...notification, body: changed }, where: `byte ${at} ${bytes[at]} -> ${to}` };
  }
}

async function refusedCode(inbound: Inbound, request: Tampered): Promise<string> {
  return inbound.verify(request).then(
    () => 'ACCEPTED',
    (error: unknown) => (isAuthError(error) ? error.code : `not an AuthError: ${String(error)}`),
  );
}

/**
 * Signs CASES random bodies with `sign`: each must verify, and the same notification with any one
 * byte changed must be refused for its signature or its shape. Returns what went otherwise.
 */
async function problemsOver(
  inbound: ReturnType<typeof snapInbound>,
  sign: (parts: ReturnType<typeof debitParts>) => ReturnType<typeof signAsymmetric>,
): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const notification = sign(debitParts({ body: randomBody(), indent: randomIndent() as number }));
    const { request, where } = changeOneByte(notification);
    const tampered = await refusedCode(inbound, request);
    if (!['SIGNATURE_REJECTED', 'REQUEST_REJECTED'].includes(tampered))
      problems.push(`${where}: ${tampered}\n${notification.body}`);
    await inbound
      .verify(notification)
      .catch((error: unknown) => problems.push(`valid body refused: ${String(error)}\n${notification.body}`));
  }
  return problems;
}

describe(`random bodies signed by the independent signer (${seed})`, () => {
  it(`asymmetric: ${CASES} bodies verify, and any single changed byte is refused`, async () => {
    const key = providerKey();
    expect(await problemsOver(snapInbound(), (parts) => signAsymmetric(key, parts))).toEqual([]);
  });

  it(`symmetric: ${CASES} bodies verify with an issued token, and any single changed byte is refused`, async () => {
    const inbound = snapInbound({ scheme: 'symmetric' });
    const issued = await inbound.issueToken(signTokenRequest(providerKey(), PARTNER_ID, jakartaTimestamp(NOW)));
    const token = issued.body.accessToken as string;
    expect(await problemsOver(inbound, (parts) => signSymmetric(CLIENT_SECRET, token, parts))).toEqual([]);
  });
});
