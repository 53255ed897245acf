#include "nas/train/archive_integrity.h"

#include <zip.h>

#include <memory>
#include <vector>

#include "sim/core/error.h"

namespace h4h {

void require_intact_archive(const std::string& path) {
  const auto corrupt = [&](const std::string& what) {
    return InputError(path + ": corrupt checkpoint: " + what + " (not a LibTorch archive, or damaged)");
  };
  int code = 0;
  std::unique_ptr<zip_t, void (*)(zip_t*)> archive(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code),
                                                    zip_discard);
  if (!archive) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw corrupt(text);
  }
  const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
  std::vector<char> buffer(1 << 16);
  for (zip_int64_t i = 0; i < entries; ++i) {
    const char* name = zip_get_name(archive.get(), zip_uint64_t(i), ZIP_FL_ENC_RAW);
    const std::string entry = name ? name : "#" + std::to_string(i);
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(archive.get(), zip_uint64_t(i), 0),
                                                           zip_fclose);
    if (!file) throw corrupt("entry " + entry + ": " + zip_strerror(archive.get()));
    zip_int64_t got = 0;
    while ((got = zip_fread(file.get(), buffer.data(), buffer.size())) > 0) {
    }
    if (got < 0) throw corrupt("entry " + entry + ": " + zip_file_strerror(file.get()));
  }
}

}  // namespace h4h
