// @sigstore/mock's Fulcio and Rekor handlers served on loopback HTTP (the package itself only offers nock
// interceptors, which would also sit in front of the registry calls), and the Sigstore trusted root that
// certifies them: the CA's root certificate, the CT log's key and the transparency log's key.
import http from 'node:http';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, rekorHandler } from '@sigstore/mock';
import { HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';

// The signer identity the mock Fulcio puts in the certificate: a GitHub Actions workflow, as in a real pipeline.
export const IDENTITY = {
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'https://github.com/gantry-test/app/.github/workflows/release.yml@refs/heads/main',
};

const bytes = (x) => (ArrayBuffer.isView(x) ? Buffer.from(x.buffer, x.byteOffset, x.byteLength) : Buffer.from(x));
const p256 = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');

// Serves one mock handler; `handler` may be set after the URL is known (Rekor's checkpoints name their own URL).
async function serve(handler) {
  const server = http.createServer(async (req, res) => {
    const { path, fn } = server.handler;
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    const { statusCode, response, contentType } = await fn(Buffer.concat(chunks).toString());
    res.writeHead(statusCode, { 'Content-Type': contentType ?? 'text/plain' }).end(response);
  });
  server.handler = handler;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    handle: (h) => { server.handler = h; },
    close: () => new Promise((r) => server.close(r)),
  };
}

export async function startMockSigstore() {
  // A minute of slack: Rekor's integrated time has whole seconds, the trusted root's start has milliseconds.
  const start = new Date(Date.now() - 60_000);
  const ctlog = await initializeCTLog(p256());
  const ca = await initializeCA(p256(), ctlog);
  const fulcio = await serve(fulcioHandler(ca));
  const tlogKey = p256();
  const rekor = await serve(undefined);
  const tlog = await initializeTLog(rekor.url, tlogKey);
  rekor.handle(rekorHandler(tlog));

  const logInstance = (url, publicKey, keyId) => ({
    baseUrl: url,
    hashAlgorithm: HashAlgorithm.SHA2_256,
    publicKey: { rawBytes: publicKey, keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: { start } },
    logId: { keyId },
  });
  const trustedRoot = TrustedRoot.toJSON({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    certificateAuthorities: [{
      subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
      uri: fulcio.url,
      certChain: { certificates: [{ rawBytes: bytes(ca.rootCertificate) }] },
      validFor: { start },
    }],
    tlogs: [logInstance(rekor.url, tlog.publicKey, createHash('sha256').update(tlog.publicKey).digest())],
    ctlogs: [logInstance('https://ctlog.mock', bytes(ctlog.publicKey), bytes(ctlog.logID))],
    timestampAuthorities: [],
  });

  // Fulcio's mock reads the claims without checking the token's signature, so an unsigned JWT will do.
  const identityToken = [b64url({ alg: 'none', typ: 'JWT' }), b64url({ ...IDENTITY, aud: 'sigstore' }), 'unsigned'].join('.');

  return {
    fulcioURL: fulcio.url,
    rekorURL: rekor.url,
    identityToken,
    trustedRoot,
    close: () => Promise.all([fulcio.close(), rekor.close()]),
  };
}
