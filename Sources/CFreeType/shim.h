// FreeType, which rasterizes the participants' name labels (its headers are named by macros
// that ft2build.h defines).
#ifndef TESSERA_CFREETYPE_SHIM_H
#define TESSERA_CFREETYPE_SHIM_H

#include <ft2build.h>
#include FT_FREETYPE_H

#endif
