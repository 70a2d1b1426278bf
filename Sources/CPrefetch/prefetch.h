// A cache prefetch hint (x86 prefetcht0, arm64 prfm), which Swift has no spelling for: the
// compositor's kernels ask for the source rows they will read a few output rows later.
#ifndef TESSERA_PREFETCH_H
#define TESSERA_PREFETCH_H

static inline void tessera_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
