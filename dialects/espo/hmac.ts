// EspoCRM's HMAC login (espocrm.md §2): `X-Hmac-Authorization: base64(apiKey + ":" + signature)`, the signature
// being HMAC-SHA256 under the user's secret key of `METHOD /path` (path after /api/v1, no query string).
import crypto from 'node:crypto';

export interface HmacCredentials { apiKey: string; signature: Buffer }

/**
 * The key and the signature of a header value, split at the first colon (a key has none); undefined without a key.
 * The signature stays bytes: the legacy form is the raw digest, which is not text.
 */
export function parseHmacHeader(value: string): HmacCredentials | undefined {
  const decoded = Buffer.from(value.trim(), 'base64');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { apiKey: decoded.subarray(0, colon).toString('utf8'), signature: decoded.subarray(colon + 1) };
}

/** What a client signs: `GET /Lead` for `GET /api/v1/Lead?maxSize=5`. `path` is relative to the dialect's mount. */
export function hmacMessage(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/**
 * Whether `signature` is the lower-case hex HMAC-SHA256 of `message` under `secret` (EspoCRM 8.4.1 and later), or
 * the raw 32-byte digest (older clients). Compared in constant time; only the length, which is public, decides which.
 */
export function hmacMatches(secret: string, message: string, signature: Buffer): boolean {
  const digest = crypto.createHmac('sha256', secret).update(message, 'utf8').digest();
  const expected = signature.length === digest.length ? digest : Buffer.from(digest.toString('hex'), 'latin1');
  return signature.length === expected.length && crypto.timingSafeEqual(signature, expected);
}
