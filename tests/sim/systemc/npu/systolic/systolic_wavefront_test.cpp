// SystolicWavefront on hand-made layers, against an independent oracle that builds SCALE-Sim v2's
// whole demand matrices the way its systolic_compute_{os,ws,is}.py do (slice the operand matrix
// per fold, pad to the array, flip, add idle rows, skew, stack), plus fold-structure checks.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/systemc/npu/systolic/scalesim_trace_writer.h"
#include "sim/systemc/npu/systolic/systolic_wavefront.h"

namespace h4h::cyc {
namespace {

using Matrix = std::vector<std::vector<int64_t>>;  // rows of equal width

Matrix filled(int64_t rows, int64_t cols, int64_t value = -1) {
  return Matrix(static_cast<size_t>(rows), std::vector<int64_t>(static_cast<size_t>(cols), value));
}

Matrix slice(const Matrix& m, int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
  Matrix out;
  for (int64_t r = r0; r < r1; ++r) out.emplace_back(m[r].begin() + c0, m[r].begin() + c1);
  return out;
}

Matrix transpose(const Matrix& m) {
  Matrix out = filled(static_cast<int64_t>(m.at(0).size()), static_cast<int64_t>(m.size()));
  for (size_t r = 0; r < m.size(); ++r) {
    for (size_t c = 0; c < m[r].size(); ++c) out[c][r] = m[r][c];
  }
  return out;
}

// Appends -1 columns up to `cols`, then -1 rows up to `rows` (when given).
Matrix pad(Matrix m, int64_t cols, int64_t rows = 0) {
  for (auto& row : m) row.resize(static_cast<size_t>(cols), -1);
  while (static_cast<int64_t>(m.size()) < rows) m.emplace_back(static_cast<size_t>(cols), -1);
  return m;
}

Matrix flip_rows(Matrix m) {
  std::reverse(m.begin(), m.end());
  return m;
}

Matrix stack(std::initializer_list<Matrix> parts) {
  Matrix out;
  for (const Matrix& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Column c delayed by c rows.
Matrix skew(const Matrix& m) {
  const int64_t rows = static_cast<int64_t>(m.size()), cols = static_cast<int64_t>(m.at(0).size());
  Matrix out = filled(rows + cols - 1, cols);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) out[r + c][c] = m[r][c];
  }
  return out;
}

struct OracleRun {
  Matrix ifmap, filter, ofmap;  // one row per cycle
  int64_t ifmap_reads = 0, filter_reads = 0, ofmap_writes = 0;  // non -1 entries
  int64_t ifmap_reported = 0, filter_reported = 0, ofmap_reported = 0;  // SCALE-Sim's counters
};

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

OracleRun oracle(const SystolicLayerShape& s, int64_t R, int64_t C, Dataflow dataflow) {
  const OperandOffsets off;
  const int64_t oh = ceil_div(s.ifmap_h - s.filter_h + s.stride, s.stride);
  const int64_t ow = ceil_div(s.ifmap_w - s.filter_w + s.stride, s.stride);
  const int64_t P = oh * ow, W = s.filter_h * s.filter_w * s.channels, N = s.num_filters;
  Matrix ifmap_op = filled(P, W), filter_op = filled(W, N), ofmap_op = filled(P, N);
  for (int64_t p = 0; p < P; ++p) {
    for (int64_t w = 0; w < W; ++w) {
      const int64_t fy = w / (s.filter_w * s.channels), fx = (w / s.channels) % s.filter_w;
      const int64_t y = (p / ow) * s.stride + fy, x = (p % ow) * s.stride + fx;
      const bool inside = y < s.ifmap_h && x < s.ifmap_w;  // the last window may overhang
      ifmap_op[p][w] = inside ? off.ifmap + (y * s.ifmap_w + x) * s.channels + w % s.channels : -1;
    }
    for (int64_t f = 0; f < N; ++f) ofmap_op[p][f] = off.ofmap + p * N + f;
  }
  for (int64_t w = 0; w < W; ++w) {
    for (int64_t f = 0; f < N; ++f) filter_op[w][f] = off.filter + f * W + w;
  }

  int64_t Sr = P, Sc = N, T = W;
  if (dataflow == Dataflow::WeightStationary) Sr = W, Sc = N, T = P;
  if (dataflow == Dataflow::InputStationary) Sr = W, Sc = P, T = N;
  OracleRun run;
  auto append = [](Matrix& to, const Matrix& block) { to.insert(to.end(), block.begin(), block.end()); };
  for (int64_t fc = 0; fc < ceil_div(Sc, C); ++fc) {
    for (int64_t fr = 0; fr < ceil_div(Sr, R); ++fr) {
      const int64_t r0 = fr * R, r1 = std::min(r0 + R, Sr), c0 = fc * C, c1 = std::min(c0 + C, Sc);
      Matrix in, weight, out;
      auto count_tiles = [&] {
        run.ifmap_reported += static_cast<int64_t>(in.size() * in.at(0).size());
        run.filter_reported += static_cast<int64_t>(weight.size() * weight.at(0).size());
        run.ofmap_reported += static_cast<int64_t>(out.size() * out.at(0).size());
      };
      if (dataflow == Dataflow::OutputStationary) {
        in = transpose(slice(ifmap_op, r0, r1, 0, T));
        weight = slice(filter_op, 0, T, c0, c1);
        out = slice(ofmap_op, r0, r1, c0, c1);
        count_tiles();
        run.ofmap_reported += R + C;  // SCALE-Sim's os count adds the padded tile's height + width
        in = skew(stack({pad(in, R), filled(C - 1, R)}));
        weight = skew(stack({pad(weight, C), filled(R - 1, C)}));
        out = skew(stack({filled(T - 1, C), flip_rows(pad(out, C, R))}));
      } else if (dataflow == Dataflow::WeightStationary) {
        in = slice(ifmap_op, 0, T, r0, r1);
        weight = slice(filter_op, r0, r1, c0, c1);
        out = slice(ofmap_op, 0, T, c0, c1);
        count_tiles();
        in = skew(stack({filled(R, R), pad(in, R), filled(C - 1, R)}));
        weight = stack({flip_rows(pad(weight, C, R)), filled(R + C + T - 2, C)});
        out = skew(stack({filled(2 * R - 1, C), pad(out, C)}));
      } else {
        in = slice(transpose(ifmap_op), r0, r1, c0, c1);
        weight = transpose(slice(filter_op, r0, r1, 0, T));
        out = transpose(slice(ofmap_op, c0, c1, 0, T));
        count_tiles();
        in = stack({flip_rows(pad(in, C, R)), filled(R + C + T - 2, C)});
        weight = skew(stack({filled(R, R), pad(weight, R), filled(C - 1, R)}));
        out = skew(stack({filled(2 * R - 1, C), pad(out, C)}));
      }
      append(run.ifmap, in);
      append(run.filter, weight);
      append(run.ofmap, out);
    }
  }
  auto entries = [](const Matrix& m) {
    int64_t n = 0;
    for (const auto& row : m) n += std::count_if(row.begin(), row.end(), [](int64_t a) { return a != -1; });
    return n;
  };
  run.ifmap_reads = entries(run.ifmap);
  run.filter_reads = entries(run.filter);
  run.ofmap_writes = entries(run.ofmap);
  return run;
}

struct Case {
  std::string name;
  SystolicLayerShape shape;
  int64_t rows, cols;
};

SystolicLayerShape conv(int64_t h, int64_t w, int64_t fh, int64_t fw, int64_t c, int64_t n, int64_t s) {
  return {h, w, fh, fw, c, n, s};
}

const std::vector<Case>& hand_cases() {
  static const std::vector<Case> cases = {
      {"array_larger_than_operands", conv(5, 5, 3, 3, 2, 3, 1), 32, 32},
      {"gemm_smaller_than_array", gemm_layer_shape(2, 3, 2), 8, 8},
      {"non_square_array_wide", conv(7, 6, 2, 3, 3, 5, 1), 3, 5},
      {"non_square_array_tall", conv(7, 6, 2, 3, 3, 5, 1), 5, 2},
      {"single_row_array", conv(6, 6, 2, 2, 2, 3, 1), 1, 4},
      {"single_column_array", conv(6, 6, 2, 2, 2, 3, 1), 4, 1},
      {"single_pe", conv(4, 4, 2, 2, 1, 2, 2), 1, 1},
      {"stride_3", conv(11, 9, 3, 2, 2, 4, 3), 4, 4},
      {"stride_larger_than_filter", conv(8, 8, 1, 1, 3, 2, 2), 4, 3},
      {"stride_leaves_ifmap_tail", conv(10, 10, 3, 3, 1, 2, 4), 3, 4},
      {"non_square_filter", conv(6, 10, 2, 5, 1, 3, 1), 4, 3},
      {"channels_split_across_folds", conv(6, 7, 3, 2, 5, 2, 1), 4, 3},
      {"pixels_span_ofmap_rows", conv(5, 5, 3, 3, 2, 4, 1), 5, 3},
      {"one_by_one_layer", conv(1, 1, 1, 1, 1, 1, 1), 4, 4},
      {"one_by_one_on_one_pe", conv(1, 1, 1, 1, 1, 1, 1), 1, 1},
      {"one_by_one_filter_deep", conv(3, 3, 1, 1, 7, 5, 1), 4, 2},
      {"one_pixel_ifmap_many_channels", conv(1, 1, 1, 1, 9, 6, 1), 4, 4},
      {"gemm_k1", gemm_layer_shape(5, 4, 1), 2, 3},
      {"gemm_k1_square", gemm_layer_shape(6, 6, 1), 4, 4},
      {"gemm_m1", gemm_layer_shape(1, 7, 5), 4, 4},
      {"gemm_n1", gemm_layer_shape(9, 1, 6), 4, 4},
      {"gemm_all_one", gemm_layer_shape(1, 1, 1), 1, 1},
      {"windows_beyond_ifmap_edge", conv(5, 6, 1, 2, 2, 3, 10), 3, 2},
  };
  return cases;
}

// SCALE-Sim v2 (commit 22f88b1, CALC bandwidth mode, the README's configuration) run on
// hand_cases(): COMPUTE_REPORT Total Cycles, DETAILED_ACCESS_REPORT SRAM ifmap reads, filter
// reads, ofmap writes, the traces' line count and the zlib crc32 of each whole trace file
// (layer0/IFMAP_SRAM_TRACE.csv, FILTER_, OFMAP_). total_cycles -1: SCALE-Sim wrote the traces,
// then divided by its zero Total Cycles while writing the reports (a one-cycle layer).
struct ScalesimRun {
  const char* name;
  Dataflow dataflow;
  int64_t total_cycles, ifmap_reads, filter_reads, ofmap_writes, lines;
  uint32_t ifmap_crc, filter_crc, ofmap_crc;
};
const ScalesimRun kScalesimHandRuns[] = {
    {"array_larger_than_operands", Dataflow::OutputStationary, 79, 162, 54, 91, 80, 1189728321u, 2991943017u, 3254293477u},
    {"array_larger_than_operands", Dataflow::WeightStationary, 102, 162, 54, 27, 103, 1023218014u, 2274022969u, 224533065u},
    {"array_larger_than_operands", Dataflow::InputStationary, 96, 162, 54, 27, 97, 299075146u, 864296931u, 1509845768u},
    {"gemm_smaller_than_array", Dataflow::OutputStationary, 15, 4, 6, 22, 16, 4056326450u, 328331036u, 2321666362u},
    {"gemm_smaller_than_array", Dataflow::WeightStationary, 23, 4, 6, 6, 24, 2941937224u, 1913752681u, 3304396192u},
    {"gemm_smaller_than_array", Dataflow::InputStationary, 24, 4, 6, 6, 25, 2126279556u, 2766041008u, 1503252205u},
    {"non_square_array_wide", Dataflow::OutputStationary, 191, 432, 720, 184, 192, 1589862251u, 1794504322u, 1808133591u},
    {"non_square_array_wide", Dataflow::WeightStationary, 197, 432, 90, 720, 198, 860567942u, 890151229u, 3601963256u},
    {"non_square_array_wide", Dataflow::InputStationary, 419, 432, 450, 720, 420, 2337178909u, 3332669199u, 3049856219u},
    {"non_square_array_tall", Dataflow::OutputStationary, 344, 1296, 450, 225, 345, 3128835117u, 798958927u, 903059203u},
    {"non_square_array_tall", Dataflow::WeightStationary, 407, 1296, 90, 480, 408, 4111343889u, 1924321824u, 1808123725u},
    {"non_square_array_tall", Dataflow::InputStationary, 719, 432, 1080, 480, 720, 3809770306u, 1979694925u, 1159387731u},
    {"single_row_array", Dataflow::OutputStationary, 274, 200, 600, 200, 275, 2469603205u, 3012668943u, 1208465521u},
    {"single_row_array", Dataflow::WeightStationary, 231, 200, 24, 600, 232, 2434205083u, 2430113376u, 1833986396u},
    {"single_row_array", Dataflow::InputStationary, 391, 200, 168, 600, 392, 294037363u, 1832764408u, 2134501388u},
    {"single_column_array", Dataflow::OutputStationary, 230, 600, 168, 180, 231, 4127644143u, 493674524u, 1112956963u},
    {"single_column_array", Dataflow::WeightStationary, 191, 600, 24, 150, 192, 2720847312u, 3574699331u, 621657383u},
    {"single_column_array", Dataflow::InputStationary, 499, 200, 600, 150, 500, 2614788110u, 2170380886u, 3895837431u},
    {"single_pe", Dataflow::OutputStationary, 31, 32, 32, 24, 32, 3029813865u, 484262158u, 2267691820u},
    {"single_pe", Dataflow::WeightStationary, 39, 32, 8, 32, 40, 4029739783u, 3559645097u, 2871994555u},
    {"single_pe", Dataflow::InputStationary, 47, 16, 32, 32, 48, 3394936053u, 4061879379u, 3497471440u},
    {"stride_3", Dataflow::OutputStationary, 71, 192, 192, 96, 72, 911286165u, 4093558348u, 2947568279u},
    {"stride_3", Dataflow::WeightStationary, 77, 192, 48, 192, 78, 932273156u, 3766964535u, 2213894056u},
    {"stride_3", Dataflow::InputStationary, 167, 192, 192, 192, 168, 2775628057u, 1190162459u, 2856788595u},
    {"stride_larger_than_filter", Dataflow::OutputStationary, 55, 75, 42, 99, 56, 2484521750u, 3151858074u, 2714742051u},
    {"stride_larger_than_filter", Dataflow::WeightStationary, 33, 75, 6, 50, 34, 2169391094u, 1566158680u, 1839045703u},
    {"stride_larger_than_filter", Dataflow::InputStationary, 98, 75, 54, 50, 99, 3971646500u, 3123883551u, 3949563964u},
    {"stride_leaves_ifmap_tail", Dataflow::OutputStationary, 41, 81, 54, 39, 42, 4218480028u, 1486830424u, 725350771u},
    {"stride_leaves_ifmap_tail", Dataflow::WeightStationary, 50, 81, 18, 54, 51, 3696110744u, 3711154065u, 1461312303u},
    {"stride_leaves_ifmap_tail", Dataflow::InputStationary, 89, 81, 54, 54, 90, 3301736160u, 633640621u, 2409724319u},
    {"non_square_filter", Dataflow::OutputStationary, 119, 300, 240, 146, 120, 1217477139u, 1121655368u, 48507198u},
    {"non_square_filter", Dataflow::WeightStationary, 116, 300, 30, 270, 117, 2029281073u, 2785839855u, 3058699368u},
    {"non_square_filter", Dataflow::InputStationary, 359, 300, 300, 270, 360, 2917279534u, 828658750u, 860027955u},
    {"channels_split_across_folds", Dataflow::OutputStationary, 209, 720, 360, 90, 210, 835454214u, 861527941u, 2831216016u},
    {"channels_split_across_folds", Dataflow::WeightStationary, 263, 720, 60, 384, 264, 874067401u, 4143604930u, 1574269970u},
    {"channels_split_across_folds", Dataflow::InputStationary, 703, 720, 480, 384, 704, 881152824u, 3471416700u, 3053487672u},
    {"pixels_span_ofmap_rows", Dataflow::OutputStationary, 95, 324, 144, 68, 96, 1924368032u, 487688394u, 3269127687u},
    {"pixels_span_ofmap_rows", Dataflow::WeightStationary, 159, 324, 72, 144, 160, 1422971578u, 1657750522u, 1503803112u},
    {"pixels_span_ofmap_rows", Dataflow::InputStationary, 179, 162, 216, 144, 180, 1601855391u, 988293932u, 78276462u},
    {"one_by_one_layer", Dataflow::OutputStationary, 6, 1, 1, 9, 7, 1402568042u, 1188895132u, 589317095u},
    {"one_by_one_layer", Dataflow::WeightStationary, 10, 1, 1, 1, 11, 3816592022u, 3308523889u, 1111466962u},
    {"one_by_one_layer", Dataflow::InputStationary, 10, 1, 1, 1, 11, 4184095250u, 2970214503u, 1111466962u},
    {"one_by_one_on_one_pe", Dataflow::OutputStationary, -1, -1, -1, -1, 1, 1729568945u, 2372835623u, 1970108962u},
    {"one_by_one_on_one_pe", Dataflow::WeightStationary, 1, 1, 1, 1, 2, 243299216u, 2667014772u, 1169250698u},
    {"one_by_one_on_one_pe", Dataflow::InputStationary, 1, 1, 1, 1, 2, 1601892717u, 1270256351u, 1169250698u},
    {"one_by_one_filter_deep", Dataflow::OutputStationary, 98, 189, 105, 99, 99, 3932290347u, 398130367u, 1702414451u},
    {"one_by_one_filter_deep", Dataflow::WeightStationary, 101, 189, 35, 90, 102, 2437311765u, 2071029165u, 1723556455u},
    {"one_by_one_filter_deep", Dataflow::InputStationary, 129, 63, 175, 90, 130, 1575869438u, 113302990u, 211697016u},
    {"one_pixel_ifmap_many_channels", Dataflow::OutputStationary, 29, 18, 54, 22, 30, 4231622794u, 4085276500u, 3533065669u},
    {"one_pixel_ifmap_many_channels", Dataflow::WeightStationary, 65, 18, 54, 18, 66, 2233984062u, 2991450326u, 37860239u},
    {"one_pixel_ifmap_many_channels", Dataflow::InputStationary, 47, 9, 54, 18, 48, 4089012562u, 1086547444u, 3937123323u},
    {"gemm_k1", Dataflow::OutputStationary, 23, 10, 12, 50, 24, 383336906u, 4221025769u, 2386229495u},
    {"gemm_k1", Dataflow::WeightStationary, 19, 10, 4, 20, 20, 2462670326u, 2139725008u, 3481745835u},
    {"gemm_k1", Dataflow::InputStationary, 17, 5, 8, 20, 18, 3737684492u, 338780659u, 724046126u},
    {"gemm_k1_square", Dataflow::OutputStationary, 27, 12, 12, 68, 28, 988233467u, 4255335746u, 653252932u},
    {"gemm_k1_square", Dataflow::WeightStationary, 31, 12, 6, 36, 32, 30627329u, 1207751483u, 2692011637u},
    {"gemm_k1_square", Dataflow::InputStationary, 31, 6, 12, 36, 32, 2387703064u, 1608717832u, 332497796u},
    {"gemm_m1", Dataflow::OutputStationary, 21, 10, 35, 23, 22, 2618997845u, 3405796161u, 1920957523u},
    {"gemm_m1", Dataflow::WeightStationary, 43, 10, 35, 14, 44, 2640696941u, 916008525u, 2656339218u},
    {"gemm_m1", Dataflow::InputStationary, 33, 5, 35, 14, 34, 245184733u, 2551327661u, 3517602911u},
    {"gemm_n1", Dataflow::OutputStationary, 35, 54, 18, 33, 36, 4246325683u, 2639208372u, 2255612679u},
    {"gemm_n1", Dataflow::WeightStationary, 37, 54, 6, 18, 38, 1059500429u, 3595455533u, 2020931923u},
    {"gemm_n1", Dataflow::InputStationary, 65, 54, 18, 18, 66, 3166418000u, 3184865611u, 1018901747u},
    {"gemm_all_one", Dataflow::OutputStationary, -1, -1, -1, -1, 1, 1729568945u, 2372835623u, 1970108962u},
    {"gemm_all_one", Dataflow::WeightStationary, 1, 1, 1, 1, 2, 243299216u, 2667014772u, 1169250698u},
    {"gemm_all_one", Dataflow::InputStationary, 1, 1, 1, 1, 2, 1601892717u, 1270256351u, 1169250698u},
    {"windows_beyond_ifmap_edge", Dataflow::OutputStationary, 27, 32, 24, 32, 28, 3239992073u, 1695293756u, 4234033911u},
    {"windows_beyond_ifmap_edge", Dataflow::WeightStationary, 39, 32, 12, 24, 40, 3032060431u, 2010075089u, 3403017522u},
    {"windows_beyond_ifmap_edge", Dataflow::InputStationary, 35, 16, 24, 24, 36, 699015724u, 2630632334u, 3880591891u},
};

const Dataflow kDataflows[] = {Dataflow::OutputStationary, Dataflow::WeightStationary,
                               Dataflow::InputStationary};

std::string label(const Case& c, Dataflow dataflow) {
  return c.name + " " + std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " +
         dataflow_name(dataflow);
}

TEST(SystolicWavefront, HandCasesMatchScalesimDemandMatrices) {
  for (const Case& c : hand_cases()) {
    for (Dataflow dataflow : kDataflows) {
      SCOPED_TRACE(label(c, dataflow));
      const OracleRun expected = oracle(c.shape, c.rows, c.cols, dataflow);
      SystolicWavefront wavefront(c.shape, {c.rows, c.cols}, dataflow);
      int64_t line = 0;
      while (!wavefront.done()) {
        wavefront.step();
        ASSERT_EQ(wavefront.cycle(), line);
        ASSERT_LT(line, static_cast<int64_t>(expected.ofmap.size()));
        ASSERT_EQ(wavefront.ifmap(), expected.ifmap[line]) << "cycle " << line;
        ASSERT_EQ(wavefront.filter(), expected.filter[line]) << "cycle " << line;
        ASSERT_EQ(wavefront.ofmap(), expected.ofmap[line]) << "cycle " << line;
        ++line;
      }
      EXPECT_EQ(line, static_cast<int64_t>(expected.ofmap.size()));
      EXPECT_EQ(expected.ifmap.size(), expected.ofmap.size());
      EXPECT_EQ(expected.filter.size(), expected.ofmap.size());
      EXPECT_EQ(wavefront.ifmap_reads(), expected.ifmap_reads);
      EXPECT_EQ(wavefront.filter_reads(), expected.filter_reads);
      EXPECT_EQ(wavefront.ofmap_writes(), expected.ofmap_writes);
      EXPECT_EQ(wavefront.scalesim_counts().ifmap_sram_reads, expected.ifmap_reported);
      EXPECT_EQ(wavefront.scalesim_counts().filter_sram_reads, expected.filter_reported);
      EXPECT_EQ(wavefront.scalesim_counts().ofmap_sram_writes, expected.ofmap_reported);
      EXPECT_THROW(wavefront.step(), std::logic_error);
    }
  }
}

// The hand cases' traces, byte for byte (by crc32 of the writer's lines), and reports as SCALE-Sim
// itself gave them. (The files themselves are checked against SCALE-Sim's in scalesim_reference_test.)
TEST(SystolicWavefront, HandCasesMatchScalesimRuns) {
  ASSERT_EQ(std::size(kScalesimHandRuns), hand_cases().size() * std::size(kDataflows));
  for (const ScalesimRun& run : kScalesimHandRuns) {
    const auto c = std::find_if(hand_cases().begin(), hand_cases().end(),
                                [&](const Case& h) { return h.name == run.name; });
    ASSERT_NE(c, hand_cases().end()) << run.name;
    SCOPED_TRACE(label(*c, run.dataflow));
    SystolicWavefront wavefront(c->shape, {c->rows, c->cols}, run.dataflow);
    uLong crc[3] = {::crc32(0L, Z_NULL, 0), ::crc32(0L, Z_NULL, 0), ::crc32(0L, Z_NULL, 0)};
    std::string line;
    auto add = [&](uLong& to, int64_t cycle, const std::vector<int64_t>& lanes) {
      format_scalesim_trace_line(line, cycle, lanes);
      to = ::crc32(to, reinterpret_cast<const Bytef*>(line.data()), static_cast<uInt>(line.size()));
    };
    while (!wavefront.done()) {
      wavefront.step();
      add(crc[0], wavefront.read_trace_cycle(), wavefront.ifmap());
      add(crc[1], wavefront.read_trace_cycle(), wavefront.filter());
      add(crc[2], wavefront.cycle(), wavefront.ofmap());
    }
    EXPECT_EQ(crc[0], run.ifmap_crc);
    EXPECT_EQ(crc[1], run.filter_crc);
    EXPECT_EQ(crc[2], run.ofmap_crc);
    EXPECT_EQ(wavefront.cycle() + 1, run.lines);
    if (run.total_cycles >= 0) {
      EXPECT_EQ(wavefront.cycle(), run.total_cycles);
      EXPECT_EQ(wavefront.scalesim_counts().ifmap_sram_reads, run.ifmap_reads);
      EXPECT_EQ(wavefront.scalesim_counts().filter_sram_reads, run.filter_reads);
      EXPECT_EQ(wavefront.scalesim_counts().ofmap_sram_writes, run.ofmap_writes);
    }
  }
}

// Local addresses one operand port issued during a fold.
struct Seen {
  std::vector<int64_t> addresses;
  void add(const std::vector<int64_t>& lanes, int64_t offset) {
    for (int64_t a : lanes) {
      if (a != -1) addresses.push_back(a - offset);
    }
  }
  AddressFootprint summary() {
    std::sort(addresses.begin(), addresses.end());
    addresses.erase(std::unique(addresses.begin(), addresses.end()), addresses.end());
    AddressFootprint f;
    if (addresses.empty()) return f;
    f.lo = addresses.front();
    f.hi = addresses.back();
    f.distinct = static_cast<int64_t>(addresses.size());
    return f;
  }
};

void expect_same(const AddressFootprint& computed, const AddressFootprint& stepped, const char* operand) {
  EXPECT_EQ(computed.lo, stepped.lo) << operand;
  EXPECT_EQ(computed.hi, stepped.hi) << operand;
  EXPECT_EQ(computed.distinct, stepped.distinct) << operand;
}

TEST(SystolicWavefront, FoldFootprintsAreExactlyTheSteppedAddresses) {
  for (const Case& c : hand_cases()) {
    for (Dataflow dataflow : kDataflows) {
      SCOPED_TRACE(label(c, dataflow));
      SystolicWavefront wavefront(c.shape, {c.rows, c.cols}, dataflow);
      const OperandOffsets& off = wavefront.offsets();
      std::map<int64_t, Seen[3]> seen;  // fold -> ifmap, filter, ofmap
      std::map<int64_t, int64_t> first_cycle;
      while (!wavefront.done()) {
        wavefront.step();
        const int64_t f = wavefront.fold();
        first_cycle.emplace(f, wavefront.cycle());
        ASSERT_EQ(wavefront.cycle(), wavefront.fold_first_cycle(f) + wavefront.fold_cycle());
        ASSERT_LT(wavefront.fold_cycle(), wavefront.fold_cycles());
        seen[f][0].add(wavefront.ifmap(), off.ifmap);
        seen[f][1].add(wavefront.filter(), off.filter);
        seen[f][2].add(wavefront.ofmap(), off.ofmap);
      }
      ASSERT_EQ(static_cast<int64_t>(seen.size()), wavefront.folds());
      EXPECT_EQ(wavefront.folds(), wavefront.row_folds() * wavefront.col_folds());
      for (auto& [f, ports] : seen) {
        SCOPED_TRACE("fold " + std::to_string(f));
        EXPECT_EQ(first_cycle.at(f), wavefront.fold_first_cycle(f));
        const FoldFootprint footprint = wavefront.fold_footprint(f);
        expect_same(footprint.ifmap, ports[0].summary(), "ifmap");
        expect_same(footprint.filter, ports[1].summary(), "filter");
        expect_same(footprint.ofmap, ports[2].summary(), "ofmap");
      }
      EXPECT_THROW(wavefront.fold_footprint(wavefront.folds()), std::out_of_range);
    }
  }
}

// Footprints of folds cut at every possible point of the window and pixel ranges (varying the
// array size), where the ifmap union is hardest: overlapping windows, partial channel runs.
TEST(SystolicWavefront, IfmapFootprintUnionOverManyTilings) {
  const SystolicLayerShape shape = conv(7, 8, 3, 2, 3, 2, 1);
  for (int64_t rows = 1; rows <= 7; ++rows) {
    for (Dataflow dataflow : kDataflows) {
      SCOPED_TRACE(std::to_string(rows) + " rows " + dataflow_name(dataflow));
      SystolicWavefront wavefront(shape, {rows, 3}, dataflow);
      std::map<int64_t, Seen> seen;
      while (!wavefront.done()) {
        wavefront.step();
        seen[wavefront.fold()].add(wavefront.ifmap(), 0);
      }
      for (auto& [f, ifmap] : seen) expect_same(wavefront.fold_footprint(f).ifmap, ifmap.summary(), "ifmap");
    }
  }
}

TEST(SystolicWavefront, SinglePeGemmTimeline) {
  // One MAC: os streams both operands on cycle 0 and writes the result on cycle 0.
  SystolicWavefront os(gemm_layer_shape(1, 1, 1), {1, 1}, Dataflow::OutputStationary);
  EXPECT_FALSE(os.done());
  EXPECT_EQ(os.cycle(), -1);
  EXPECT_EQ(os.ifmap(), std::vector<int64_t>{-1});
  os.step();
  EXPECT_TRUE(os.done());
  EXPECT_EQ(os.cycle(), 0);
  EXPECT_EQ(os.read_trace_cycle(), 1);
  EXPECT_EQ(os.ifmap(), std::vector<int64_t>{0});
  EXPECT_EQ(os.filter(), std::vector<int64_t>{10000000});
  EXPECT_EQ(os.ofmap(), std::vector<int64_t>{20000000});
  EXPECT_EQ(os.ofmap_writes(), 1);
  EXPECT_EQ(os.scalesim_counts().ofmap_sram_writes, 1 + 2);

  // ws: the weight loads on cycle 0, the input enters on cycle 1 and its sum leaves on cycle 1.
  SystolicWavefront ws(gemm_layer_shape(1, 1, 1), {1, 1}, Dataflow::WeightStationary);
  ws.step();
  EXPECT_EQ(ws.ifmap(), std::vector<int64_t>{-1});
  EXPECT_EQ(ws.filter(), std::vector<int64_t>{10000000});
  EXPECT_EQ(ws.ofmap(), std::vector<int64_t>{-1});
  ws.step();
  EXPECT_TRUE(ws.done());
  EXPECT_EQ(ws.ifmap(), std::vector<int64_t>{0});
  EXPECT_EQ(ws.filter(), std::vector<int64_t>{-1});
  EXPECT_EQ(ws.ofmap(), std::vector<int64_t>{20000000});
}

TEST(SystolicWavefront, GemmShapeAndLaneCounts) {
  const SystolicLayerShape g = gemm_layer_shape(10, 6, 12);
  EXPECT_EQ(g.ifmap_h, 10);
  EXPECT_EQ(g.ifmap_w, 12);
  EXPECT_EQ(g.filter_h, 1);
  EXPECT_EQ(g.filter_w, 12);
  EXPECT_EQ(g.channels, 1);
  EXPECT_EQ(g.num_filters, 6);
  EXPECT_EQ(g.stride, 1);
  const OperandLayout layout(g);
  EXPECT_EQ(layout.ofmap_pixels(), 10);
  EXPECT_EQ(layout.window_size(), 12);
  EXPECT_EQ(layout.ifmap_address(3, 5), 3 * 12 + 5);  // A[m][k] at m * K + k

  SystolicWavefront is(g, {3, 5}, Dataflow::InputStationary);
  EXPECT_EQ(is.ifmap().size(), 5u);   // array cols
  EXPECT_EQ(is.filter().size(), 3u);  // array rows
  EXPECT_EQ(is.ofmap().size(), 5u);
  SystolicWavefront os(g, {3, 5}, Dataflow::OutputStationary);
  EXPECT_EQ(os.ifmap().size(), 3u);
  EXPECT_EQ(os.filter().size(), 5u);
  EXPECT_EQ(os.ofmap().size(), 5u);
}

TEST(SystolicWavefront, CustomOffsets) {
  OperandOffsets offsets;
  offsets.ifmap = 100;
  offsets.filter = 5000;
  offsets.ofmap = 90000;
  SystolicWavefront w(conv(4, 4, 2, 2, 1, 2, 1), {2, 2}, Dataflow::OutputStationary, offsets);
  w.step();
  EXPECT_EQ(w.ifmap()[0], 100);
  EXPECT_EQ(w.filter()[0], 5000);
  while (!w.done()) w.step();
  int64_t last_ofmap = -1;
  for (int64_t a : w.ofmap()) last_ofmap = std::max(last_ofmap, a);
  EXPECT_GE(last_ofmap, 90000);
}

TEST(SystolicWavefront, RejectsBadShapes) {
  EXPECT_THROW(SystolicWavefront(conv(3, 3, 4, 1, 1, 1, 1), {4, 4}, Dataflow::OutputStationary),
               std::invalid_argument);
  EXPECT_THROW(SystolicWavefront(conv(3, 3, 1, 1, 0, 1, 1), {4, 4}, Dataflow::OutputStationary),
               std::invalid_argument);
  EXPECT_THROW(SystolicWavefront(conv(3, 3, 1, 1, 1, 1, 0), {4, 4}, Dataflow::OutputStationary),
               std::invalid_argument);
  EXPECT_THROW(SystolicWavefront(conv(3, 3, 1, 1, 1, 1, 1), {0, 4}, Dataflow::WeightStationary),
               std::invalid_argument);
}

// A layer of ~10^9 cycles: construction, steps and a footprint cost nothing like its length.
TEST(SystolicWavefront, LazyOnHugeLayers) {
  const auto start = std::chrono::steady_clock::now();
  const SystolicLayerShape big = conv(224, 224, 3, 3, 256, 512, 1);
  for (Dataflow dataflow : kDataflows) {
    SystolicWavefront w(big, {32, 32}, dataflow);
    EXPECT_GT(w.folds() * w.fold_cycles(), int64_t{10000000});
    for (int i = 0; i < 20000; ++i) w.step();
    EXPECT_EQ(w.cycle(), 19999);
    const FoldFootprint f = w.fold_footprint(w.folds() - 1);
    EXPECT_GT(f.ifmap.distinct, 0);
    EXPECT_GT(f.filter.distinct, 0);
    EXPECT_GT(f.ofmap.distinct, 0);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 2.0);
}

}  // namespace
}  // namespace h4h::cyc
