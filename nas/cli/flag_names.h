#pragma once
// The CLI's names for library parameters (sim/core/parameter_error.h): the libraries name their
// parameters ("population", "latency_ms"); messages shown to the user name the flag that sets it
// ("--population", "--latency-ms").
#include <exception>
#include <string>

namespace h4h {

// The flag that sets `parameter`: "--" and the name with '_' as '-', unless the flag is named
// otherwise (out_dir: --out, max_images: --val-images, ...).
std::string flag_of(const std::string& parameter);

// The message of `error` with the parameters it names given as flags.
std::string cli_message(const std::exception& error);

}  // namespace h4h
