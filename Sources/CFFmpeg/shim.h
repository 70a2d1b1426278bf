#ifndef TESSERA_CFFMPEG_SHIM_H
#define TESSERA_CFFMPEG_SHIM_H

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

// Function-like macros and macro constants Swift cannot import.
static inline int tessera_averror(int errnum) { return AVERROR(errnum); }
static inline int tessera_averror_eof(void) { return AVERROR_EOF; }
static inline int tessera_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int64_t tessera_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational tessera_av_time_base_q(void) { return AV_TIME_BASE_Q; }

// AVFrame.data / linesize import as 8-tuples; index them here.
static inline uint8_t *tessera_frame_data(const AVFrame *frame, int plane) { return frame->data[plane]; }
static inline int tessera_frame_linesize(const AVFrame *frame, int plane) { return frame->linesize[plane]; }

#endif
