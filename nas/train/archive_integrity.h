#pragma once
// Integrity of a checkpoint (a LibTorch archive) before LibTorch reads it: every checkpoint read goes
// through nas/train/checkpoint.cpp, which calls this first.
// LibTorch 1.13 reads its zip archives with miniz built without CRC-32 checks, and its unpickler
// trusts what it reads: a flipped byte in data.pkl can crash it (found by tests/fuzz/
// fuzz_checkpoint.cpp). Checking every entry's CRC-32 first turns such a file into bad input.
#include <string>

namespace h4h {

// Throws InputError "<path>: corrupt checkpoint: <what>" unless `path` is a zip archive whose every
// entry reads back in full and matches its CRC-32 (libzip).
void require_intact_archive(const std::string& path);

}  // namespace h4h
