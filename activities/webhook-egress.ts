import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, fetch } from 'undici';

/*
 * Where webhooks may be sent. A webhook URL is chosen by an admin (`webhook:create`), but the request
 * leaves from the worker, inside the network: without a guard, a URL naming 127.0.0.1, a private
 * address or the cloud's metadata service (169.254.169.254) would make usermod a proxy into it, and
 * the recorded status codes an oracle. So only public addresses are connected to, checked on the
 * address actually connected to (a DNS name that later resolves elsewhere is checked again), unless
 * WEBHOOK_ALLOW_PRIVATE_URLS is set (local development, receivers on the same network).
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is outside the public internet (IPv4-mapped IPv6 judged as its IPv4). */
export function isNotPublic(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return NOT_PUBLIC.check(mapped, 'ipv4');
  const family = isIP(address);
  return family !== 0 && NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class RefusedDestination extends Error {
  readonly code = 'EWEBHOOK_PRIVATE';
  constructor(host: string, address: string) {
    super(
      `refused: ${host} is ${address === host ? 'a' : `${address}, a`} private or local address ` +
        '(WEBHOOK_ALLOW_PRIVATE_URLS=true allows it)',
    );
  }
}

/** dns.lookup that fails when any address the name resolves to is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => isNotPublic(a.address));
    if (refused) return callback(new RefusedDestination(hostname, refused.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

const guarded = new Agent({ connect: { lookup: publicOnlyLookup } });
const open = new Agent();

/**
 * POST to a webhook's URL: public destinations only unless `allowPrivate`. An IP address in the URL is
 * checked here (connecting to it involves no lookup), a name when it is resolved.
 */
export function postToWebhook(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
  allowPrivate = false,
) {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate && isNotPublic(host)) return Promise.reject(new RefusedDestination(host, host));
  return fetch(url, {
    method: 'POST',
    headers: init.headers,
    body: init.body,
    // A redirect is an answer (3xx, not 2xx): never followed, so it cannot lead somewhere private.
    redirect: 'manual',
    signal: AbortSignal.timeout(init.timeoutMs),
    dispatcher: allowPrivate ? open : guarded,
  });
}
