#pragma once
// Renders gnuplot scripts into image files, atomically (temp file + rename), for the commands that
// draw plots (search; sweep and validate keep their own scripts). gnuplot's messages go to stderr:
// stdout may carry JSON or CSV.
#include <string>

namespace h4h {

// False (with a note on stderr from `who`) when gnuplot is not installed.
bool gnuplot_available(const std::string& who);

// Feeds `script` (which must write to `out`.tmp) to gnuplot, then renames `out`.tmp to `out`.
// False, with a note on stderr from `who`, when gnuplot fails; no partial file is left.
bool run_gnuplot(const std::string& script, const std::string& out, const std::string& who);

// Writes `out_base`.png and `out_base`.svg: `body` is the script after the terminal and output lines
// (it may use multiplot). False, with a note on stderr, when gnuplot fails; no partial file is left.
bool render_plot(const std::string& out_base, int width, int height, const std::string& body, const std::string& who);

}  // namespace h4h
