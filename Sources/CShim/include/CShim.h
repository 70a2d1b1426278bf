#ifndef TESSERA_CSHIM_H
#define TESSERA_CSHIM_H

// C that Swift cannot express: callbacks that receive a va_list.

/// Receives one formatted FFmpeg log message (level is AV_LOG_*).
typedef void (*tessera_log_sink)(int level, const char *message);

/// Routes av_log through `sink` (NULL restores FFmpeg's default stderr logger). Messages above
/// av_log_get_level() are dropped before formatting.
void tessera_av_log_set_sink(tessera_log_sink sink);

#endif
