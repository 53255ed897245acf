#pragma once
// `h4h search`: the second stage of H4H-NAS around a trained supernet. Scores candidates with the
// supernet (validation top-1 after BN recalibration) and the estimator (optimal partitioning on the
// candidate's system), evolves them for `generations`, re-simulates the front's best in SystemC and
// writes DIR/pareto.json, pareto.csv, history.csv, plots and one folder per finalist.
// Contract: bad input (options, checkpoint, hardware, an infeasible budget, a state file from
// another search) throws InputError before anything in DIR is replaced. DIR/search_state.json is
// rewritten atomically after each generation; a run started again with the same options resumes
// from it and ends with the same pareto.json.
#include "nas/apps/search_options.h"

namespace h4h {

int run_search_job(const SearchJobOptions& options);

}  // namespace h4h
