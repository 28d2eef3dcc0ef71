import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b?: Uint8Array | null) => (b ? Buffer.from(b).toString('utf8') : undefined);

export interface CodecKey {
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

/**
 * Encrypts every payload (inputs, results, memos, failure details) with AES-256-GCM before it leaves
 * the process, so Temporal's history and Web UI hold no e-mail address, hash or secret in the clear.
 * Encrypts with the first key; decrypts with any listed key (rotation: add the new key first).
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('AesGcmCodec needs at least one key');
    for (const k of keys)
      if (k.key.length !== 32) throw new Error(`payload key '${k.id}' must be 32 bytes, got ${k.key.length}`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: utf8(ENCODING), 'encryption-key-id': utf8(id) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (text(p.metadata?.encoding) !== ENCODING) return p;
      const id = text(p.metadata?.['encryption-key-id']) ?? '';
      const key = this.byId.get(id);
      if (!key) throw new Error(`No payload key with id '${id}' is configured`);
      const data = Buffer.from(p.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** Parse `id1:base64key,id2:base64key` (first = the key new payloads are encrypted with). */
export function parseCodecKeys(spec: string): CodecKey[] {
  return spec.split(',').map((part) => {
    const [id, b64] = part.trim().split(':');
    if (!id || !b64) throw new Error("USERMOD_PAYLOAD_KEYS entries must look like 'keyid:base64-32-byte-key'");
    return { id, key: Buffer.from(b64, 'base64') };
  });
}

export const failureConverterPath = require.resolve('./failure-converter');

/** The data converter for clients and workers alike: encrypted payloads, failure messages included. */
export function usermodDataConverter(keys: CodecKey[]): DataConverter {
  return {
    payloadCodecs: [new AesGcmCodec(keys)],
    failureConverterPath,
  };
}
