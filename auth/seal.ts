import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/**
 * Sealed values: what a flow must carry but nobody reading Temporal may read, not even through the
 * codec server (which holds the payload keys): password hashes and invite-token hashes, in workflow
 * inputs and in the snapshots a compensation puts back.
 *
 * X25519 + HKDF-SHA256 + AES-256-GCM (ECIES). Whoever holds the public key can seal (the API, and
 * workers); only the private key opens, and only workers hold it. So the Web UI, the codec server,
 * `temporal workflow show` and a stolen history export all see `sealed:v1:<key id>:<opaque>`.
 * The purpose is authenticated data: a sealed token hash cannot be opened as a password hash.
 */

export type SealPurpose = 'password_hash' | 'token_hash';

/** A sealed value as it travels through Temporal. */
export type Sealed = string & { readonly __sealed: unique symbol };

const PREFIX = 'sealed:v1:';
const INFO = Buffer.from('usermod seal v1');
// DER headers of an X25519 key: raw 32-byte keys in config, KeyObjects for node:crypto.
const PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI = Buffer.from('302a300506032b656e032100', 'hex');

export interface SealKeyPair {
  id: string;
  /** Raw 32-byte X25519 private key; absent where only sealing happens (the API). */
  privateKey?: Buffer;
  publicKey: Buffer;
}

const privateKeyObject = (raw: Buffer) =>
  createPrivateKey({ key: Buffer.concat([PKCS8, raw]), format: 'der', type: 'pkcs8' });
const publicKeyObject = (raw: Buffer) =>
  createPublicKey({ key: Buffer.concat([SPKI, raw]), format: 'der', type: 'spki' });
const rawPublic = (k: KeyObject) => (k.export({ format: 'der', type: 'spki' }) as Buffer).subarray(SPKI.length);

/** A new key pair, `id:base64` each (npm start writes one into the installation's secrets). */
export function generateSealKeys(id: string): { privateKeys: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  const priv = (privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer).subarray(PKCS8.length);
  return {
    privateKeys: `${id}:${priv.toString('base64')}`,
    publicKey: `${id}:${rawPublic(publicKey).toString('base64')}`,
  };
}

function parseEntry(entry: string, what: string): { id: string; raw: Buffer } {
  const [id, b64, extra] = entry.trim().split(':');
  const raw = Buffer.from(b64 ?? '', 'base64');
  if (!id || !/^[A-Za-z0-9_-]{1,40}$/.test(id) || raw.length !== 32 || extra !== undefined) {
    throw new Error(`${what} entries must look like 'keyid:base64-32-byte-X25519-key'`);
  }
  return { id, raw };
}

/** `USERMOD_SEAL_KEYS`: private keys `id:base64[,id:base64...]`; the first one seals new values. */
export function parseSealPrivateKeys(spec: string): SealKeyPair[] {
  return spec.split(',').map((entry) => {
    const { id, raw } = parseEntry(entry, 'USERMOD_SEAL_KEYS');
    return { id, privateKey: raw, publicKey: rawPublic(createPublicKey(privateKeyObject(raw))) };
  });
}

/** `USERMOD_SEAL_PUBLIC_KEY`: the public half of the current key, `id:base64` (enough to seal). */
export function parseSealPublicKey(spec: string): SealKeyPair {
  const { id, raw } = parseEntry(spec, 'USERMOD_SEAL_PUBLIC_KEY');
  publicKeyObject(raw); // refuses a malformed key now rather than at the first seal
  return { id, publicKey: raw };
}

export interface Sealer {
  seal(value: string, purpose: SealPurpose): Sealed;
}

export interface Opener extends Sealer {
  open(sealed: string, purpose: SealPurpose): string;
}

/** Seals with the given public key (the API has no private key). */
export function sealer(key: SealKeyPair): Sealer {
  const recipient = publicKeyObject(key.publicKey);
  return {
    seal(value, purpose) {
      const eph = generateKeyPairSync('x25519');
      const ephPublic = rawPublic(eph.publicKey);
      const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
      const aesKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephPublic, key.publicKey]), INFO, 32));
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${key.id}:${Buffer.concat([ephPublic, iv, body]).toString('base64url')}` as Sealed;
    },
  };
}

/** Seals with the first key and opens with any listed one (rotation: add the new key first). */
export function opener(keys: SealKeyPair[]): Opener {
  if (keys.length === 0 || keys.some((k) => !k.privateKey))
    throw new Error('opening sealed values needs the private seal keys');
  const byId = new Map(keys.map((k) => [k.id, { ...k, object: privateKeyObject(k.privateKey!) }]));
  return {
    ...sealer(keys[0]),
    open(sealed, purpose) {
      if (typeof sealed !== 'string' || !sealed.startsWith(PREFIX)) throw new Error('not a sealed value');
      const [id, blob] = sealed.slice(PREFIX.length).split(':');
      const key = byId.get(id);
      if (!key) throw new Error(`no seal key with id '${id}' is configured (USERMOD_SEAL_KEYS)`);
      const data = Buffer.from(blob ?? '', 'base64url');
      if (data.length < 32 + 12 + 16) throw new Error('sealed value is truncated');
      const ephPublic = data.subarray(0, 32);
      const shared = diffieHellman({ privateKey: key.object, publicKey: publicKeyObject(ephPublic) });
      const aesKey = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephPublic, key.publicKey]), INFO, 32));
      const decipher = createDecipheriv('aes-256-gcm', aesKey, data.subarray(32, 44));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(data.subarray(data.length - 16));
      return Buffer.concat([decipher.update(data.subarray(44, data.length - 16)), decipher.final()]).toString('utf8');
    },
  };
}

export const isSealed = (v: unknown): v is Sealed => typeof v === 'string' && v.startsWith(PREFIX);
