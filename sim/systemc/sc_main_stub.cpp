// libsystemc.so refers to sc_main (its own main() would call it). h4h programs have their own
// main() and never call it; the library's link options pull this definition in (--undefined).
#include <cstdio>

extern "C" int sc_main(int, char*[]) {
  std::fputs("h4h: sc_main is not an entry point of this program\n", stderr);
  return 1;
}
