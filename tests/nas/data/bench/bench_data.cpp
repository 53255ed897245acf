// Throughput of the data pipeline, so the trainer is not data-bound:
//  - Fashion-MNIST: reading + gunzipping + validating the IDX files (once per run), and batches of
//    pad-to-32 / random-crop / flip / normalise, synchronous and with worker threads;
//  - ImageFolder-like: JPEG decoding (full size and DCT-scaled) + RandomResizedCrop 224 on synthetic
//    500 x 375 photos (ImageNet's typical size).
// Run: build-*/tests/bench_nas_data [--benchmark_filter=...]
#include <benchmark/benchmark.h>

// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "nas/data/batch_loader.h"
#include "nas/data/data_spec.h"
#include "nas/data/image_decode.h"

namespace h4h::data {
namespace {

const DataSplits& fashion() {
  static const DataSplits d = open_data(parse_data_spec("fashion-mnist"));
  return d;
}

void BM_FashionMnistOpen(benchmark::State& state) {
  for (auto _ : state) {
    DataSplits d = open_data(parse_data_spec("fashion-mnist"));
    benchmark::DoNotOptimize(d.train.get());
  }
  state.counters["images/s"] = benchmark::Counter(70000.0 * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FashionMnistOpen)->Unit(benchmark::kMillisecond)->Iterations(3);

// One epoch of training batches (55000 images, batch 256); args: workers, layout (0 NCHW, 1 NHWC).
void BM_FashionMnistEpoch(benchmark::State& state) {
  const DataSplits& d = fashion();
  LoaderOptions o;
  o.batch_size = 256;
  o.workers = static_cast<int>(state.range(0));
  o.layout = state.range(1) ? Layout::NHWC : Layout::NCHW;
  BatchLoader loader(d.train, Transform(train_transform(d)), o);
  int64_t images = 0;
  Batch b;
  for (auto _ : state) {
    while (loader.next(b)) {
      images += b.n;
      benchmark::DoNotOptimize(b.images.data());
    }
  }
  state.counters["images/s"] = benchmark::Counter(static_cast<double>(images), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FashionMnistEpoch)
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// A synthetic 500 x 375 photo-like JPEG (smooth gradients + texture), quality 90, via the decoder's
// own library: written once to a temp file.
std::vector<uint8_t> photo_jpeg() {
  static std::vector<uint8_t> bytes = [] {
    const std::string dir = std::filesystem::temp_directory_path().string();
    const std::string path = dir + "/h4h-bench-photo.jpg";
    FILE* f = std::fopen(path.c_str(), "wb");
    jpeg_compress_struct c;
    jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = 500;
    c.image_height = 375;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 90, TRUE);
    jpeg_start_compress(&c, TRUE);
    std::vector<uint8_t> row(500 * 3);
    while (c.next_scanline < 375) {
      const unsigned y = c.next_scanline;
      for (unsigned x = 0; x < 500; ++x) {
        row[3 * x] = static_cast<uint8_t>(x / 2 + ((x * 7 + y * 13) % 17));
        row[3 * x + 1] = static_cast<uint8_t>(y / 2 + ((x * y) % 23));
        row[3 * x + 2] = static_cast<uint8_t>((x + y) / 4);
      }
      JSAMPROW r = row.data();
      jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    std::fclose(f);
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    return b;
  }();
  return bytes;
}

// Decode + RandomResizedCrop(224) + flip + normalise, per image; arg: decode_min_short_side (0: full).
void BM_JpegTrainSample(benchmark::State& state) {
  const std::vector<uint8_t> bytes = photo_jpeg();
  TransformOptions t;
  t.mode = CropMode::RandomResizedCrop;
  t.size = 224;
  t.hflip = true;
  t.norm = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
  Transform tr(t);
  std::vector<float> out(3 * 224 * 224);
  SplitMix64 rng(1);
  for (auto _ : state) {
    Image im = decode_image(bytes, "photo.jpg", 3, static_cast<int>(state.range(0)));
    tr.apply(im, rng, out.data(), Layout::NCHW);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["images/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_JpegTrainSample)->Arg(0)->Arg(224)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace h4h::data

BENCHMARK_MAIN();
