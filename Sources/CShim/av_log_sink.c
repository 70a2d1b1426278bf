#include "CShim.h"

#include <libavutil/log.h>
#include <stdatomic.h>
#include <stddef.h>

static _Atomic(tessera_log_sink) current_sink = NULL;

static void forward_av_log(void *avcl, int level, const char *fmt, va_list args) {
    if (level > av_log_get_level()) return;
    tessera_log_sink sink = atomic_load_explicit(&current_sink, memory_order_acquire);
    if (sink == NULL) return;
    // FFmpeg may build one line from several calls; the prefix ("[libx264 @ 0x..]") is printed
    // only at line starts, which av_log_format_line2 tracks through this per-thread flag.
    static _Thread_local int print_prefix = 1;
    char line[1024];
    av_log_format_line2(avcl, level, fmt, args, line, (int)sizeof line, &print_prefix);
    sink(level, line);
}

void tessera_av_log_set_sink(tessera_log_sink sink) {
    atomic_store_explicit(&current_sink, sink, memory_order_release);
    av_log_set_callback(sink != NULL ? forward_av_log : av_log_default_callback);
}
