import { timingSafeEqual } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Payload } from '@temporalio/common';
import { AesGcmCodec, type CodecKey } from './aes-gcm-codec';

export interface CodecServerOptions {
  keys: CodecKey[];
  /**
   * Required on every call: `Authorization: Bearer <token>`, or the `/<token>/decode` path the Web UI
   * can use. There is no tokenless mode: whoever reaches an open codec server reads every payload.
   */
  token: string;
  /** The Temporal Web UI's origins (CORS). */
  uiOrigins: string[];
}

type JsonPayload = { metadata?: Record<string, string>; data?: string };

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Temporal's remote codec protocol (`POST /encode`, `POST /decode`) so the Web UI and CLI can read payloads. */
export async function buildCodecServer(o: CodecServerOptions): Promise<FastifyInstance> {
  if (typeof o.token !== 'string' || o.token.length < 16) {
    throw new Error('the codec server needs a token of at least 16 characters (CODEC_SERVER_TOKEN)');
  }
  const codec = new AesGcmCodec(o.keys);
  const app = Fastify({ logger: false });
  await app.register(cors, {
    origin: o.uiOrigins,
    credentials: true,
    allowedHeaders: ['x-namespace', 'content-type', 'authorization'],
    methods: ['POST', 'OPTIONS'],
  });

  const authorized = (req: FastifyRequest<{ Params: { token?: string } }>) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = req.params.token ?? bearer;
    return given !== undefined && same(given, o.token);
  };

  for (const op of ['encode', 'decode'] as const) {
    const handler = async (
      req: FastifyRequest<{ Params: { token?: string }; Body: { payloads?: JsonPayload[] } }>,
      reply: import('fastify').FastifyReply,
    ) => {
      if (!authorized(req)) return reply.code(401).send({ type: 'unauthorized', message: 'Unauthorized' });
      const payloads = req.body?.payloads;
      if (!Array.isArray(payloads))
        return reply.code(400).send({ type: 'invalid_data', message: "Invalid request: Field 'payloads' is required" });
      try {
        const out = await codec[op](payloads.map(fromJson));
        return { payloads: out.map(toJson) };
      } catch (err) {
        return reply
          .code(400)
          .send({ type: 'invalid_data', message: `Cannot ${op} payloads: ${(err as Error).message}` });
      }
    };
    app.post(`/${op}`, handler);
    app.post(`/:token/${op}`, handler);
  }
  return app;
}
