#include "nas/cli/app.h"

int main(int argc, char** argv) { return h4h::run_cli(argc, argv); }
