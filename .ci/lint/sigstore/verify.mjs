// Verifies the Sigstore bundles attached to an image with @sigstore/verify, against the trusted root that
// attest.mjs wrote, the way a consumer checks an attestation after the image was copied:
//   1. list the referrers of the digest (OCI referrers API, else the fallback tag sha256-<hex>);
//   2. for each Sigstore bundle among them: read its manifest and bundle blob, checking both digests;
//   3. verify the bundle (certificate chain, CT and Rekor entries, DSSE signature, signer identity) and check that
//      the signed in-toto statement names this digest as its subject.
//
// node verify.mjs --trusted-root FILE [--trusted-root FILE...] --digest sha256:HEX (--image HOST:PORT/REPO [--save DIR] | --bundle FILE)
// Prints "verified <manifest digest>" or "FAILED <manifest digest>: <reason>" per bundle; exit 0 only when at
// least one bundle was found and every one verified.
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { IDENTITY } from './mock-sigstore.mjs';

const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const { values: opt } = parseArgs({
  options: { image: { type: 'string' }, digest: { type: 'string' }, 'trusted-root': { type: 'string', multiple: true },
    bundle: { type: 'string' }, save: { type: 'string' } },
});
if (!opt.digest || !opt['trusted-root'] || !(opt.image || opt.bundle)) {
  console.error('usage: verify.mjs --trusted-root FILE --digest sha256:HEX (--image HOST:PORT/REPO [--save DIR] | --bundle FILE)');
  process.exit(2);
}
const [algorithm, hex] = opt.digest.split(':');
// Each attest.mjs run has its own mock CA and logs: several roots are trusted together, as one root's lists.
const roots = opt['trusted-root'].map((file) => TrustedRoot.fromJSON(JSON.parse(readFileSync(file, 'utf8'))));
const merged = { ...roots[0] };
for (const list of ['certificateAuthorities', 'tlogs', 'ctlogs', 'timestampAuthorities']) merged[list] = roots.flatMap((r) => r[list]);
const verifier = new Verifier(toTrustMaterial(merged));

function verifyBundle(bytes) {
  const bundle = bundleFromJSON(JSON.parse(bytes.toString('utf8')));
  // Throws on any failed check, including a signer other than the mock's workflow identity.
  verifier.verify(toSignedEntity(bundle), { subjectAlternativeName: IDENTITY.sub, extensions: { issuer: IDENTITY.iss } });
  const envelope = bundle.content.dsseEnvelope;
  if (envelope?.payloadType !== 'application/vnd.in-toto+json') throw new Error('not an in-toto DSSE bundle');
  const statement = JSON.parse(envelope.payload.toString('utf8'));
  if (!statement.subject.some((s) => s.digest?.[algorithm] === hex)) {
    throw new Error(`the signed statement is about ${statement.subject.map((s) => JSON.stringify(s.digest)).join(', ')}, not ${opt.digest}`);
  }
}

const sha256 = (bytes) => 'sha256:' + createHash('sha256').update(bytes).digest('hex');

// Plain HTTP, as @sigstore/oci uses for a loopback registry: these registries are the tests' own.
async function get(path, accept) {
  const slash = opt.image.indexOf('/');
  const url = `http://${opt.image.slice(0, slash)}/v2/${opt.image.slice(slash + 1)}/${path}`;
  const response = await fetch(url, { headers: accept ? { Accept: accept } : {} });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function referrers() {
  const index = (await get(`referrers/${opt.digest}`, INDEX)) ?? (await get(`manifests/${algorithm}-${hex}`, INDEX));
  return index ? JSON.parse(index.toString('utf8')).manifests : [];
}

async function fetchBundle(descriptor) {
  const manifestBytes = await get(`manifests/${descriptor.digest}`, MANIFEST);
  if (!manifestBytes || sha256(manifestBytes) !== descriptor.digest) throw new Error('manifest missing or not matching its digest');
  const manifest = JSON.parse(manifestBytes.toString('utf8'));
  if (manifest.subject?.digest !== opt.digest) throw new Error(`manifest's subject is ${manifest.subject?.digest}`);
  const layer = manifest.layers[0];
  const blob = await get(`blobs/${layer.digest}`);
  if (!blob || sha256(blob) !== layer.digest) throw new Error(`bundle blob ${layer.digest} missing or not matching its digest`);
  return blob;
}

let found = 0;
let failed = 0;
const check = async (name, read) => {
  found++;
  try {
    verifyBundle(await read());
    console.log(`verified ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAILED ${name}: ${e.message}`);
  }
};
if (opt.bundle) {
  await check(opt.bundle, async () => readFileSync(opt.bundle));
} else {
  for (const descriptor of (await referrers()).filter((d) => d.artifactType?.startsWith(BUNDLE_TYPE))) {
    await check(descriptor.digest, async () => {
      const blob = await fetchBundle(descriptor);
      if (opt.save) {
        mkdirSync(opt.save, { recursive: true });
        writeFileSync(`${opt.save}/${descriptor.digest.replace(':', '-')}.json`, blob);
      }
      return blob;
    });
  }
}
if (found === 0) console.log(`FAILED no Sigstore bundle refers to ${opt.image ?? opt.bundle}@${opt.digest}`);
process.exit(found > 0 && failed === 0 ? 0 : 1);
