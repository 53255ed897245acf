#include "nas/train/train_api.h"

extern "C" const h4h::TrainPluginApi* h4h_train_plugin_api() {
  static const h4h::TrainPluginApi api{h4h::kTrainPluginVersion,   &h4h::run_training, &h4h::run_evaluation,
                                       &h4h::read_checkpoint_space, &h4h::open_scorer,  &h4h::export_onnx};
  return &api;
}
