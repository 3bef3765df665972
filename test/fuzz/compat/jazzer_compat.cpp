// Symbols the prebuilt Jazzer.js addon (built on glibc 2.38 / GCC 13) imports but glibc 2.36 / libstdc++ 12
// (Debian 12) lack. Preloaded by fuzz/run.ts after patch_addon.ts relabels the two version requirements.
#include <cstdlib>
#include <ios>

extern "C" long __isoc23_strtol(const char *s, char **end, int base) { return std::strtol(s, end, base); }
extern "C" unsigned long __isoc23_strtoul(const char *s, char **end, int base) {
  return std::strtoul(s, end, base);
}

namespace std {
// GCC 13 moved the standard streams' initialisation behind this call; libstdc++ 12 does it from each
// <iostream> user's own static ios_base::Init, so constructing one here does the same job.
void ios_base_library_init() { static ios_base::Init init; }
}  // namespace std
