#!/usr/bin/env python3
"""Writes examples/hello: a tiny, reproducible OCI image layout holding a two-platform index tagged sha-abc1234.

Run from the repository root: python3 scripts/make-example-layout.py
The output is deterministic (fixed timestamps, no random data), so re-running it changes nothing.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile

OUT = os.path.join("examples", "hello")
TAG = "sha-abc1234"


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(OUT, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return "sha256:" + digest


def descriptor(media_type, data, **extra):
    d = {"mediaType": media_type, "digest": blob(data), "size": len(data)}
    d.update(extra)
    return d


def layer(text):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        payload = text.encode()
        info = tarfile.TarInfo("hello.txt")
        info.size, info.mtime, info.mode = len(payload), 0, 0o644
        tar.addfile(info, io.BytesIO(payload))
    tar_bytes = raw.getvalue()
    return tar_bytes, gzip.compress(tar_bytes, mtime=0)


def image(arch):
    tar_bytes, gz = layer("hello from gantry on linux/%s\n" % arch)
    config = dumps({
        "architecture": arch, "os": "linux", "created": "2026-01-01T00:00:00Z",
        "config": {"Cmd": ["cat", "/hello.txt"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar_bytes).hexdigest()]},
    })
    manifest = dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": descriptor("application/vnd.oci.image.config.v1+json", config),
        "layers": [descriptor("application/vnd.oci.image.layer.v1.tar+gzip", gz)],
    })
    return descriptor("application/vnd.oci.image.manifest.v1+json", manifest,
                      platform={"architecture": arch, "os": "linux"})


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(os.path.join(OUT, "blobs", "sha256"))
    index = dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [image("amd64"), image("arm64")],
    })
    top = descriptor("application/vnd.oci.image.index.v1+json", index,
                     annotations={"org.opencontainers.image.ref.name": TAG})
    with open(os.path.join(OUT, "oci-layout"), "wb") as f:
        f.write(dumps({"imageLayoutVersion": "1.0.0"}))
    with open(os.path.join(OUT, "index.json"), "wb") as f:
        f.write(dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [top]}))
    print("wrote %s (%s, %s)" % (OUT, TAG, top["digest"]))


if __name__ == "__main__":
    main()
