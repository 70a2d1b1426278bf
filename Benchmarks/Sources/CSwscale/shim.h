#ifndef TESSERA_BENCHMARKS_CSWSCALE_H
#define TESSERA_BENCHMARKS_CSWSCALE_H

// FFmpeg's swscale, the other per-tile baseline of the compositor benchmark.
#include <libavutil/log.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>

#endif
