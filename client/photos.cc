#include "client/photos.h"

#include <fcntl.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "client/sync_engine.h"
#include "common/str_cat.h"

namespace pantau::client {
namespace {

absl::Status WriteDurably(const std::string& path, std::string_view bytes) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::UnavailableError(StrCat(temp, ": cannot be written"));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      return absl::UnavailableError(StrCat(temp, ": cannot be written"));
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return absl::UnavailableError(StrCat(temp, ": cannot be synced"));
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) return absl::UnavailableError(StrCat(path, ": ", ec.message()));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(StrCat(path, ": cannot be read"));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

absl::StatusOr<std::string> LaptopPhotos::Add(const std::string& path, int64_t max_bytes) {
  auto bytes = ReadWhole(path);
  if (!bytes.ok()) return absl::InvalidArgumentError(bytes.status().message());
  return AddBytes(*bytes, max_bytes, path);
}

absl::StatusOr<std::string> LaptopPhotos::AddBytes(std::string_view bytes, int64_t max_bytes, const std::string& name) {
  if (bytes.empty()) return absl::InvalidArgumentError(StrCat(name, ": the file is empty"));
  if (static_cast<int64_t>(bytes.size()) > max_bytes) {
    return absl::InvalidArgumentError(StrCat(name, ": ", bytes.size(), " bytes is over the limit of ", max_bytes,
                                             " bytes per photo; take it at a lower resolution"));
  }
  const std::string sha = Sha256Hex(bytes);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return absl::UnavailableError(StrCat(dir_, ": ", ec.message()));
  if (!std::filesystem::exists(dir_ + "/" + sha)) {
    if (absl::Status s = WriteDurably(dir_ + "/" + sha, bytes); !s.ok()) return s;
  }
  return sha;
}

std::vector<std::string> LaptopPhotos::Pending() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 64 && !std::filesystem::exists(dir_ + "/" + name + ".sent")) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::string> LaptopPhotos::Read(const std::string& sha256) const { return ReadWhole(dir_ + "/" + sha256); }

absl::Status LaptopPhotos::MarkSent(const std::string& sha256) { return WriteDurably(dir_ + "/" + sha256 + ".sent", ""); }

PhotoSyncSummary SyncPhotos(LaptopPhotos& photos, v1::SyncService::StubInterface& stub, const std::string& token,
                            size_t chunk_bytes) {
  PhotoSyncSummary summary;
  auto context = [&] {
    auto c = std::make_unique<grpc::ClientContext>();
    c->AddMetadata("authorization", "Bearer " + token);
    c->set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(5)));
    return c;
  };
  for (const auto& sha : photos.Pending()) {
    auto bytes = photos.Read(sha);
    if (!bytes.ok()) {
      summary.status = bytes.status();
      return summary;
    }
    v1::PhotoStatusRequest request;
    request.set_sha256(sha);
    v1::PhotoStatusResponse status;
    absl::Status got = FromGrpc(stub.GetPhotoUploadStatus(context().get(), request, &status));
    if (!got.ok()) {
      summary.status = got;
      return summary;
    }
    if (!status.complete()) {
      auto c = context();
      v1::PhotoReceipt receipt;
      auto writer = stub.UploadPhoto(c.get(), &receipt);
      v1::PhotoChunk chunk;
      chunk.set_sha256(sha);
      chunk.set_total_bytes(static_cast<int64_t>(bytes->size()));
      for (size_t offset = static_cast<size_t>(status.received_bytes()); offset < bytes->size(); offset += chunk_bytes) {
        chunk.set_offset(static_cast<int64_t>(offset));
        chunk.set_data(bytes->substr(offset, chunk_bytes));
        if (!writer->Write(chunk)) break;  // the server ended the stream: Finish says why
        summary.bytes_sent += static_cast<int64_t>(chunk.data().size());
      }
      writer->WritesDone();
      got = FromGrpc(writer->Finish());
      if (!got.ok()) {
        summary.status = absl::Status(got.code(), StrCat("photo ", sha, ": ", got.message()));
        return summary;
      }
      if (!receipt.complete()) {
        summary.status = absl::UnavailableError(StrCat("photo ", sha, ": the upload stopped at ",
                                                       receipt.received_bytes(), " of ", bytes->size(), " bytes"));
        return summary;
      }
    }
    if (absl::Status marked = photos.MarkSent(sha); !marked.ok()) {
      summary.status = marked;
      return summary;
    }
    ++summary.photos_sent;
  }
  return summary;
}

}  // namespace pantau::client
