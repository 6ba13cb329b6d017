// Attests an image digest the way actions/attest-build-provenance does, with no network beyond loopback:
// an in-toto statement is signed by @sigstore/sign (Fulcio certificate + Rekor entry, DSSE bundle) against
// @sigstore/mock's Fulcio and Rekor served on 127.0.0.1, and the bundle is attached to the image with
// @sigstore/oci's attachArtifactToImage (referrers API, or the fallback tag sha256-<hex> when the registry has none).
// The mock's roots are written as a Sigstore trusted root so that verify.mjs can check the bundle later.
//
// node attest.mjs --image HOST:PORT/REPO --digest sha256:HEX --trusted-root FILE [--predicate-type URI]
// Prints the attached manifest's descriptor as one JSON line.
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness } from '@sigstore/sign';
import { bundleToJSON } from '@sigstore/bundle';
import { attachArtifactToImage } from '@sigstore/oci';
import { startMockSigstore, IDENTITY } from './mock-sigstore.mjs';

const { values: opt } = parseArgs({
  options: {
    image: { type: 'string' },
    digest: { type: 'string' },
    'trusted-root': { type: 'string' },
    'predicate-type': { type: 'string', default: 'https://slsa.dev/provenance/v1' },
  },
});
for (const name of ['image', 'digest', 'trusted-root']) {
  if (!opt[name]) throw new Error(`--${name} is required`);
}
const [algorithm, hex] = opt.digest.split(':');

const sigstore = await startMockSigstore();
try {
  writeFileSync(opt['trusted-root'], JSON.stringify(sigstore.trustedRoot, null, 2));

  // The statement names the image digest as its subject, as attest-build-provenance's does for an image.
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: opt.image, digest: { [algorithm]: hex } }],
    predicateType: opt['predicate-type'],
    predicate: { buildDefinition: { buildType: 'https://gantry.test/build/v1' }, runDetails: { builder: { id: IDENTITY.sub } } },
  };

  // Same assembly as @actions/attest's sign.ts: a Fulcio signer and a Rekor witness. The entry type is 'intoto'
  // (sigstore-js's earlier default) because the mock Rekor logs the proposed entry as it came, which is Rekor's
  // canonical form for intoto v0.0.2 entries but not for dsse v0.0.1 ones (those fail verification with the mock).
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({ identityProvider: { getToken: async () => sigstore.identityToken }, fulcioBaseURL: sigstore.fulcioURL }),
    witnesses: [new RekorWitness({ rekorBaseURL: sigstore.rekorURL, entryType: 'intoto' })],
  });
  const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });

  // The same call and annotations as attest-build-provenance's push-to-registry step. No credentials: the test
  // registry is open, and @sigstore/oci speaks plain HTTP to 127.0.0.1/localhost only.
  const descriptor = await attachArtifactToImage({
    imageName: opt.image,
    imageDigest: opt.digest,
    artifact: Buffer.from(JSON.stringify(bundleToJSON(bundle))),
    mediaType: bundle.mediaType,
    annotations: {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': opt['predicate-type'],
    },
    credentials: undefined,
    fetchOpts: { retry: false },
  });
  console.log(JSON.stringify(descriptor));
} finally {
  await sigstore.close();
}
