#include "nas/apps/rank_pool.h"

#include <nlohmann/json.hpp>

namespace h4h {

std::vector<ChildResult> run_pool_on_ranks(const std::vector<ChildJob>& jobs, int width, double timeout_seconds,
                                           const std::function<void(size_t, const ChildResult&)>& on_done,
                                           dist::Communicator& comm) {
  if (width <= 0) width = dist::cores_per_rank(comm);
  if (!comm.distributed()) return run_pool(jobs, width, timeout_seconds, on_done);
  std::vector<size_t> mine;
  std::vector<ChildJob> my_jobs;
  for (size_t i = size_t(comm.rank()); i < jobs.size(); i += size_t(comm.size())) {
    mine.push_back(i);
    my_jobs.push_back(jobs[i]);
  }
  const std::vector<ChildResult> my_results =
      run_pool(my_jobs, width, timeout_seconds, [&](size_t k, const ChildResult& r) {
        if (on_done) on_done(mine[k], r);
      });
  nlohmann::json sent = nlohmann::json::array();
  for (size_t k = 0; k < mine.size(); ++k)
    sent.push_back({{"job", mine[k]}, {"ok", my_results[k].ok}, {"output", my_results[k].output},
                    {"error", my_results[k].error}});
  std::vector<ChildResult> all(jobs.size());
  // Invalid UTF-8 in a child's output is replaced rather than thrown on.
  for (const std::string& part : comm.all_gather(sent.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)))
    for (const nlohmann::json& r : nlohmann::json::parse(part)) {
      ChildResult& out = all.at(r.at("job").get<size_t>());
      out.ok = r.at("ok").get<bool>();
      out.output = r.at("output").get<std::string>();
      out.error = r.at("error").get<std::string>();
    }
  return all;
}

}  // namespace h4h
