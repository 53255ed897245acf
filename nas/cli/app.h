#pragma once
// The h4h command line. run_cli() parses, dispatches to a subcommand and maps failures to exit
// codes: 0 success, 2 bad input (InputError, usage errors), 1 anything else.
namespace h4h {

int run_cli(int argc, char** argv);

}  // namespace h4h
