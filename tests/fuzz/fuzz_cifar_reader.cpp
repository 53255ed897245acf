// CIFAR-10 binary batches (nas/data/cifar10_dataset.h) as `--data cifar10:DIR` reads each file. An
// accepted file serves its first and last samples.
#include "fuzz_common.h"
#include "nas/data/cifar10_dataset.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  static const fuzz::ScratchFile file("data_batch_1.bin");
  std::unique_ptr<data::Cifar10Dataset> d;
  if (!fuzz::accepts([&] {
        d = std::make_unique<data::Cifar10Dataset>(std::vector<std::string>{file.write(fuzz::as_string(data, size))});
      }))
    return 0;
  fuzz::fuzz_check(d->size() > 0, "an accepted CIFAR-10 file is not empty");
  for (size_t i : {size_t{0}, d->size() - 1}) {
    const data::Sample s = d->get(i);
    fuzz::fuzz_check(s.label == d->label(i) && s.label >= 0 && s.label < 10, "labels in range");
    fuzz::fuzz_check(s.image.pixels.size() == 3 * 32 * 32, "32x32 colour images");
  }
  return 0;
}
