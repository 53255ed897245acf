// IDX (MNIST-format) images and labels (nas/data/idx_dataset.h) as `--data fashion-mnist:DIR` reads
// them. Input: the images file, the line "\n--- labels\n", the labels file (each gzip or plain; a
// part that starts with the gzip magic's first byte is named *.gz, as the Debian package's files
// are). An accepted dataset serves its first and last samples.
#include "fuzz_common.h"
#include "nas/data/idx_dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  static const fuzz::ScratchFile images_gz("train-images-idx3-ubyte.gz"), images("train-images-idx3-ubyte");
  static const fuzz::ScratchFile labels_gz("train-labels-idx1-ubyte.gz"), labels("train-labels-idx1-ubyte");
  const std::vector<std::string> parts = fuzz::split_input(data, size, "\n--- labels\n", 2);
  if (parts.size() != 2) return 0;
  auto place = [](const std::string& bytes, const fuzz::ScratchFile& gz, const fuzz::ScratchFile& plain) {
    return !bytes.empty() && bytes[0] == '\x1f' ? gz.write(bytes) : plain.write(bytes);
  };
  const std::string images_path = place(parts[0], images_gz, images);
  const std::string labels_path = place(parts[1], labels_gz, labels);
  std::unique_ptr<data::IdxDataset> d;
  if (!fuzz::accepts([&] {
        d = std::make_unique<data::IdxDataset>(images_path, labels_path, data::fashion_mnist_class_names());
      }))
    return 0;
  fuzz::fuzz_check(d->size() > 0, "an accepted IDX dataset is not empty");
  for (size_t i : {size_t{0}, d->size() - 1}) {
    const data::Sample s = d->get(i);
    fuzz::fuzz_check(s.label == d->label(i) && s.label >= 0 && s.label < d->num_classes(), "labels in range");
    fuzz::fuzz_check(s.image.pixels.size() == size_t(d->shape().height) * d->shape().width, "an image per sample");
  }
  return 0;
}
