import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

/** Parses `METRICS_ALLOW_NETWORKS` ("127.0.0.0/8,::1/128"); throws naming a bad entry. */
export function parseNetworks(list: string): BlockList {
  const networks = new BlockList();
  for (const entry of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
    const prefix = bits === undefined ? (type === 'ipv4' ? 32 : 128) : Number(bits);
    if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) throw new Error(`not a network: ${entry}`);
    networks.addSubnet(address, prefix, type);
  }
  return networks;
}

/**
 * /metrics is not behind the user login (Prometheus has none) but is not public either: a scraper
 * presents `METRICS_TOKEN` as a bearer token, or connects from an allowed network. The address is
 * the socket's own, never a forwarding header, which anyone can write.
 */
export function mayScrape(remoteAddress: string | undefined, authorization: unknown, networks: BlockList, token: string | undefined): boolean {
  if (token && typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    const given = Buffer.from(authorization.slice(7));
    const expected = Buffer.from(token);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  if (!remoteAddress) return false;
  const v4 = remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
  return isIPv4(v4) ? networks.check(v4, 'ipv4') : networks.check(remoteAddress, 'ipv6');
}
