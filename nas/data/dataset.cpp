#include "nas/data/dataset.h"

#include <stdexcept>

namespace h4h::data {

void check_index(const Dataset& d, size_t index) {
  if (index >= d.size())
    throw std::out_of_range(d.source() + ": index " + std::to_string(index) + " out of range [0, " +
                            std::to_string(d.size()) + ")");
}

SubsetDataset::SubsetDataset(DatasetPtr base, std::vector<size_t> indices, std::string source)
    : base_(std::move(base)), indices_(std::move(indices)), source_(std::move(source)) {
  for (size_t i : indices_)
    if (i >= base_->size())
      throw std::invalid_argument(source_ + ": index " + std::to_string(i) + " outside " + base_->source() + " (" +
                                  std::to_string(base_->size()) + " samples)");
}

int64_t SubsetDataset::label(size_t index) const {
  check_index(*this, index);
  return base_->label(indices_[index]);
}

Sample SubsetDataset::get(size_t index) const {
  check_index(*this, index);
  return base_->get(indices_[index]);
}

}  // namespace h4h::data
