#pragma once
// Whole-file reads through zlib: a gzip file is decompressed, any other file is returned as is.
#include <cstdint>
#include <string>
#include <vector>

namespace h4h::data {

// The decompressed contents of `path` (gzip, or plain bytes when the file is not gzip-compressed).
// Throws h4h::InputError naming the file when it cannot be opened, when its name ends in ".gz" but
// it is not gzip data, or when the gzip stream is corrupt or truncated.
std::vector<uint8_t> read_maybe_gzip(const std::string& path);

}  // namespace h4h::data
