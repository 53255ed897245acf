#pragma once
// A plain-text table for terminal output: right-aligned numeric columns, left-aligned text.
#include <string>
#include <vector>

namespace h4h {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void add_separator() { rows_.emplace_back(); }
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// 1234567 -> "1,234,567"
std::string group_digits(long long value);
// Engineering-style short numbers: 300.8M, 1.81G, 12.3k.
std::string short_number(double value);

}  // namespace h4h
