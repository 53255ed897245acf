#include "nas/data/image_folder_dataset.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "nas/data/image_decode.h"
#include "sim/core/error.h"

namespace h4h::data {
namespace {

namespace fs = std::filesystem;

bool is_image_name(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png";
}

}  // namespace

ImageFolderDataset::ImageFolderDataset(const std::string& root, ImageFolderOptions options)
    : root_(root), options_(options) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw_input_error(root, "", "ImageFolder directory not found (expected ROOT/CLASS/IMAGE.jpg|png)");
  for (const fs::directory_entry& e : fs::directory_iterator(root, ec))
    if (e.is_directory(ec)) classes_.push_back(e.path().filename().string());
  if (ec) throw_input_error(root, "", "cannot list: " + ec.message());
  std::sort(classes_.begin(), classes_.end());
  if (classes_.empty())
    throw_input_error(root, "", "empty ImageFolder: no class sub-directories (expected ROOT/CLASS/IMAGE.jpg|png)");
  for (size_t c = 0; c < classes_.size(); ++c) {
    fs::path dir = fs::path(root) / classes_[c];
    std::vector<std::string> images;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
      if (e.is_regular_file(ec) && is_image_name(e.path())) images.push_back(e.path().string());
    if (ec) throw_input_error(dir.string(), "", "cannot list: " + ec.message());
    if (images.empty()) throw_input_error(dir.string(), "", "class directory holds no .jpg, .jpeg or .png image");
    std::sort(images.begin(), images.end());
    for (std::string& f : images) {
      files_.push_back(std::move(f));
      labels_.push_back(static_cast<int32_t>(c));
    }
  }
}

int64_t ImageFolderDataset::label(size_t index) const {
  check_index(*this, index);
  return labels_[index];
}

const std::string& ImageFolderDataset::path(size_t index) const {
  check_index(*this, index);
  return files_[index];
}

Sample ImageFolderDataset::get(size_t index) const {
  check_index(*this, index);
  Sample s;
  s.label = labels_[index];
  s.image = read_image_file(files_[index], 3, options_.decode_min_short_side);
  return s;
}

}  // namespace h4h::data
