#include "common/artifact/manifest.h"

#include <catch2/catch.hpp>
#include <string>

#include "common/artifact/md5.h"

namespace wandb::artifact {
namespace {

// The expected values below were computed independently of this code, with Python:
//   python3 -c 'import hashlib,base64; print(base64.b64encode(hashlib.md5(b"hello\n").digest()))'
// and, for the artifact digest, wandb's rule written out by hand:
//   h = hashlib.md5(b"wandb-artifact-manifest-v1\n")
//   for path in sorted(entries): h.update(f"{path}:{entries[path]}\n".encode())
//   h.hexdigest()
ManifestEntry File(const std::string& path, const std::string& bytes) {
  ManifestEntry entry;
  entry.path = path;
  entry.digest = ToBase64(Md5Of(bytes));
  entry.size = static_cast<int64_t>(bytes.size());
  entry.local_path = "/cache/" + path;
  return entry;
}

std::string Bytes0To255() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

Manifest ThreeFiles() {
  Manifest manifest;
  // Added out of order: the digest and the JSON sort by path.
  REQUIRE(manifest.Add(File("empty", "")).ok());
  REQUIRE(manifest.Add(File("dir/b.bin", Bytes0To255())).ok());
  REQUIRE(manifest.Add(File("a.txt", "hello\n")).ok());
  return manifest;
}

TEST_CASE("entry digests are base64 MD5s as wandb's md5_file_b64") {
  CHECK(ToBase64(Md5Of("hello\n")) == "sZRqySSS0jR8YjW00mERhA==");
  CHECK(ToBase64(Md5Of(Bytes0To255())) == "4shl20Fivtljv6qe9qwY8A==");
  CHECK(ToBase64(Md5Of("")) == "1B2M2Y8AsgTpgAmY7PhCfg==");
  CHECK(ToHex(Md5Of("hello\n")) == "b1946ac92492d2347c6235b4d2611184");
}

TEST_CASE("the artifact digest follows wandb-artifact-manifest-v1") {
  CHECK(Manifest().Digest() == "64e7c61456b10382e2f3b571ac24b659");
  CHECK(ThreeFiles().Digest() == "e914c826b80bb2f2406b2562af96f32e");
}

ManifestEntry S3Reference() {
  ManifestEntry ref;
  ref.path = "remote/model.pt";
  ref.ref = "s3://bucket/model.pt";
  ref.digest = "abc123etag";
  ref.size = 7;
  ref.extra = {{"etag", "\"\\\"abc123etag\\\"\""}};
  return ref;
}

TEST_CASE("a reference's checksum enters the digest like a file's") {
  Manifest manifest = ThreeFiles();
  REQUIRE(manifest.Add(S3Reference()).ok());
  CHECK(manifest.Digest() == "82e20b14cc87e70e5650f394630a4e50");
  CHECK(manifest.TotalSize() == 6 + 256 + 0 + 7);
}

TEST_CASE("the manifest JSON is wandb_manifest.json as json.dump(indent=4) writes it") {
  Manifest manifest = ThreeFiles();
  REQUIRE(manifest.Add(S3Reference()).ok());
  // Printed by python3's json.dumps(manifest, indent=4) for the same entries.
  const std::string expected = R"({
    "version": 1,
    "storagePolicy": "wandb-storage-policy-v1",
    "storagePolicyConfig": {
        "storageLayout": "V2"
    },
    "contents": {
        "a.txt": {
            "digest": "sZRqySSS0jR8YjW00mERhA==",
            "size": 6
        },
        "dir/b.bin": {
            "digest": "4shl20Fivtljv6qe9qwY8A==",
            "size": 256
        },
        "empty": {
            "digest": "1B2M2Y8AsgTpgAmY7PhCfg==",
            "size": 0
        },
        "remote/model.pt": {
            "digest": "abc123etag",
            "ref": "s3://bucket/model.pt",
            "extra": {
                "etag": "\"abc123etag\""
            },
            "size": 7
        }
    }
})";
  CHECK(manifest.ToJson() == expected);
}

TEST_CASE("a path added twice must keep its digest") {
  Manifest manifest = ThreeFiles();
  CHECK(manifest.Add(File("a.txt", "hello\n")).ok());  // the same file again: fine
  absl::Status changed = manifest.Add(File("a.txt", "other"));
  CHECK(absl::IsInvalidArgument(changed));
  CHECK_THAT(std::string(changed.message()), Catch::Contains("a.txt"));
  CHECK(manifest.entries().size() == 3);
}

TEST_CASE("base64 and hex MD5s convert both ways and refuse anything else") {
  absl::StatusOr<Md5Bytes> bytes = FromBase64("sZRqySSS0jR8YjW00mERhA==");
  REQUIRE(bytes.ok());
  CHECK(ToHex(*bytes) == "b1946ac92492d2347c6235b4d2611184");
  CHECK(FromHex("B1946AC92492D2347C6235B4D2611184").ok());
  CHECK_FALSE(FromBase64("sZRqySSS0jR8YjW00mERhA").ok());
  CHECK_FALSE(FromBase64("not base64 at all!!!!!==").ok());
  CHECK_FALSE(FromHex("b1946ac9").ok());
  CHECK_FALSE(FromHex("z1946ac92492d2347c6235b4d2611184").ok());
}

}  // namespace
}  // namespace wandb::artifact
