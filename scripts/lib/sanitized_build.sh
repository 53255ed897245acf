# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the one sanitized build both use, and the
# sanitizer options both run under.
#
# san_configure TORCH BUILD_DIR
#   Configures BUILD_DIR (created on first use, then kept) with clang-14, AddressSanitizer (with
#   LeakSanitizer), UndefinedBehaviorSanitizer and the libFuzzer harnesses (H4H_FUZZ=ON);
#   TORCH=ON|OFF sets H4H_WITH_TORCH. -O1 with line tables only: sanitizer reports keep file:line
#   while the build costs far less than -O2 -g.
# san_export_options WORK [EXTRA_OPTIONS]
#   Splits scripts/sanitizers.supp (the one suppressions file) by sanitizer into WORK and exports
#   ASAN_OPTIONS (with the file's asan_option: entries), LSAN_OPTIONS, UBSAN_OPTIONS and the
#   symbolizer; EXTRA_OPTIONS (a:b:c) go to
#   both ASan and UBSan. The environment reaches every h4h
#   child process: subprocesses inherit it and mpirun passes it to the ranks it starts here.

san_configure() {
  local torch=$1 dir=$2
  local args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only"
              "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only"
              -DH4H_SANITIZE=address,undefined -DH4H_FUZZ=ON -DH4H_WITH_TORCH="$torch")
  if [[ ! -f $dir/CMakeCache.txt ]]; then
    args+=(-G Ninja -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14)
  fi
  cmake -S . -B "$dir" "${args[@]}" >/dev/null
}

SAN_SUPP="$(dirname "${BASH_SOURCE[0]}")/../sanitizers.supp"

# san_supp_entries TYPE: the patterns of scripts/sanitizers.supp's TYPE: entries, one a line.
san_supp_entries() {
  sed -n "s/^$1://p" "$SAN_SUPP"
}

# san_expected_crash REPORT_FILE: whether the report is a deadly signal in a library that
# scripts/sanitizers.supp lists under deadly_signal: (a crash h4h isolates in a child on purpose).
san_expected_crash() {
  local report=$1 summary lib
  summary=$(grep -m1 '^SUMMARY: AddressSanitizer: \(SEGV\|BUS\|FPE\|ILL\) ' "$report") || return 1
  while read -r lib; do
    [[ -n $lib && $summary == *"$lib"* ]] && return 0
  done < <(san_supp_entries deadly_signal)
  return 1
}

san_export_options() {
  local work=$1 extra=${2:+:$2}
  local supp=$SAN_SUPP
  local not_ubsan='^(#|[[:space:]]*$|deadly_signal:|asan_option:|leak:|interceptor_name:|interceptor_via_fun:|interceptor_via_lib:|odr_violation:)'
  grep -E '^leak:' "$supp" >"$work/lsan.supp" || true
  grep -E '^(interceptor_name|interceptor_via_fun|interceptor_via_lib|odr_violation):' "$supp" >"$work/asan.supp" || true
  grep -vE "$not_ubsan" "$supp" >"$work/ubsan.supp" || true
  ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
  export ASAN_SYMBOLIZER_PATH
  local asan_options
  asan_options=$(san_supp_entries asan_option | paste -sd: -)
  export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=0:suppressions=$work/asan.supp${asan_options:+:$asan_options}$extra"
  export LSAN_OPTIONS="suppressions=$work/lsan.supp:print_suppressions=0"
  # Ranks started by mpirun: full stacks, which the leak: entries for OpenMPI need (sanitizers.supp).
  export OMPI_MCA_mca_base_env_list="ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$work/ubsan.supp$extra"
}
