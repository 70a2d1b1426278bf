#ifndef TESSERA_BENCHMARKS_CLIBYUV_H
#define TESSERA_BENCHMARKS_CLIBYUV_H

// libyuv's plane scalers, the per-tile baseline of the compositor benchmark.
#include <libyuv/scale.h>

#endif
