#include "nas/apps/sweep_journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/core/workload_json.h"

namespace h4h {

using nlohmann::json;

namespace {

constexpr const char* kFileName = "sweep.partial.jsonl";
constexpr const char* kFormatKey = "h4h_sweep_journal";
constexpr int kFormatVersion = 1;

// FNV-1a, 64 bits; each part is followed by a 0 byte so that ("ab", "c") and ("a", "bc") differ.
struct Fnv1a {
  uint64_t h = 0xcbf29ce484222325ull;
  Fnv1a& add(const std::string& text) {
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    h = (h ^ 0u) * 0x100000001b3ull;
    return *this;
  }
};

json settings_json(const std::vector<Override>& settings) {
  json out = json::array();
  for (const auto& [key, value] : settings) out.push_back({key, value});
  return out;
}

json figures_json(const SweepFigures& f) {
  json j{{"ok", f.ok}, {"status", f.status}};
  if (f.ok) j.update({{"cycles", f.cycles}, {"latency_ms", f.latency_ms}, {"energy_uj", f.energy_uj}});
  return j;
}

SweepFigures figures_from_json(const json& j) {
  SweepFigures f;
  f.ok = j.at("ok").get<bool>();
  f.status = j.at("status").get<std::string>();
  if (f.ok) {
    f.cycles = j.at("cycles").get<int64_t>();
    f.latency_ms = j.at("latency_ms").get<double>();
    f.energy_uj = j.at("energy_uj").get<double>();
  }
  return f;
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::string sweep_point_inputs(const Workload& workload, const std::string& hw_text,
                               const std::vector<Override>& settings, const Mapping& mapping, SimFidelity fidelity) {
  Fnv1a f;
  f.add(workload_to_json(workload).dump()).add(hw_text);
  for (const auto& [key, value] : settings) f.add(key).add(value);
  f.add(mapping_to_json(mapping, workload).dump());
  if (fidelity != SimFidelity::Block) f.add(fidelity_name(fidelity));  // block: as journals before --fidelity
  return fmt::format("{:016x}", f.h);
}

std::string SweepJournal::path_in(const std::string& dir) { return dir + "/" + kFileName; }

SweepJournal::SweepJournal(const std::string& dir, bool resume) : path_(path_in(dir)) {
  const bool exists = ::access(path_.c_str(), F_OK) == 0;
  if (exists && !resume)
    throw InputError(path_ + ": an interrupted sweep's journal is there; pass `resume` to continue that sweep, or "
                             "remove the file to start it over");
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(path_ + ": cannot open the sweep journal: " + errno_text());
  if (exists) {
    try {
      read_existing();
    } catch (...) {
      ::close(fd_);
      throw;
    }
  }
  if (entries_.empty() && (torn_from_ == 0 || ::lseek(fd_, 0, SEEK_END) == 0)) {
    append(json{{kFormatKey, kFormatVersion}}.dump());
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // the new name, durably
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SweepJournal::read_existing() {
  const std::string text = read_text_file(path_);
  const size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (complete < text.size()) torn_from_ = off_t(complete);  // a line torn by a kill, dropped before appending
  size_t start = 0, line_no = 0;
  while (start < complete) {
    const size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line_no == 1) {
      const json doc = json::parse(line, nullptr, false);
      if (!doc.is_object() || doc.value(kFormatKey, json()) != kFormatVersion)
        throw InputError(fmt::format("{}: not a sweep journal (its first line is not {{\"{}\": {}}}); remove it or use "
                                     "another `out_dir`",
                                     path_, kFormatKey, kFormatVersion));
      continue;
    }
    try {
      const json doc = json::parse(line);
      Entry e;
      for (const json& kv : doc.at("settings")) e.settings.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
      e.inputs = doc.at("inputs").get<std::string>();
      e.simulated = figures_from_json(doc.at("simulated"));
      entries_.push_back(std::move(e));
    } catch (const std::exception& e) {
      throw InputError(fmt::format("{}: line {}: unreadable record ({}); remove the file to start the sweep over", path_,
                                   line_no, e.what()));
    }
  }
}

std::optional<SweepFigures> SweepJournal::find(const std::vector<Override>& settings, const std::string& inputs) const {
  for (auto e = entries_.rbegin(); e != entries_.rend(); ++e) {
    if (e->settings != settings) continue;
    if (e->inputs != inputs) {
      std::string point;
      for (const auto& [key, value] : settings) point += (point.empty() ? "" : ", ") + key + "=" + value;
      throw InputError(path_ + ": the point " + point +
                       " was simulated with other inputs (the workload, the hardware file or the mapping changed); "
                       "remove the file to start the sweep over, or use another `out_dir`");
    }
    return e->simulated;
  }
  return std::nullopt;
}

void SweepJournal::record(const std::vector<Override>& settings, const std::string& inputs, const SweepFigures& simulated) {
  if (fd_ < 0) throw std::logic_error("SweepJournal::record after remove");
  append(json{{"settings", settings_json(settings)}, {"inputs", inputs}, {"simulated", figures_json(simulated)}}.dump());
  entries_.push_back({settings, inputs, simulated});
}

void SweepJournal::append(const std::string& line) {
  if (torn_from_ >= 0) {
    if (::ftruncate(fd_, torn_from_) != 0)
      throw std::runtime_error(path_ + ": cannot drop the torn last line: " + errno_text());
    torn_from_ = -1;
  }
  const std::string text = line + "\n";
  const char* data = text.data();
  for (size_t left = text.size(); left > 0;) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(path_ + ": cannot record a finished point: " + errno_text());
    data += n;
    left -= size_t(n);
  }
  if (::fsync(fd_) != 0) throw std::runtime_error(path_ + ": cannot record a finished point: " + errno_text());
}

void SweepJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error(path_ + ": cannot remove the finished sweep's journal: " + errno_text());
}

}  // namespace h4h
