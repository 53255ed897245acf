#pragma once
// The training library (libh4h_train.so, LibTorch) for `h4h train`, `eval`, `export` and the search's
// scorer, loaded on first use from the directory of the running h4h binary (or $H4H_TRAIN_LIBRARY). Throws
// std::runtime_error naming the file and the loader's reason when it cannot be loaded.
#include "nas/train/train_api.h"

namespace h4h {

const TrainPluginApi& train_plugin();

}  // namespace h4h
