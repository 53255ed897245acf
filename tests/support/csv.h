#pragma once
// A tiny CSV reader for the reference tables under tests/data/reference (no quoting needed there).
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace h4h::test {

struct CsvRow {
  std::map<std::string, std::string> cells;
  const std::string& str(const std::string& key) const {
    auto it = cells.find(key);
    if (it == cells.end()) throw std::runtime_error("csv: no column " + key);
    return it->second;
  }
  long long num(const std::string& key) const { return std::stoll(str(key)); }
  double real(const std::string& key) const { return std::stod(str(key)); }
};

inline std::vector<CsvRow> read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  auto split = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) out.push_back(cell);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
  };
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = split(line);
  std::vector<CsvRow> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cells = split(line);
    CsvRow row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row.cells[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace h4h::test
