#ifndef CCMARKGFM_SHIM_H
#define CCMARKGFM_SHIM_H

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

/* The option flags are macros built with shifts (CMARK_OPT_UNSAFE (1 << 17)), which the
 * Swift importer does not import; re-export the ones the preview uses as constants. */
static const int CCMARKGFM_OPT_DEFAULT = CMARK_OPT_DEFAULT;
static const int CCMARKGFM_OPT_UNSAFE = CMARK_OPT_UNSAFE;
static const int CCMARKGFM_OPT_GITHUB_PRE_LANG = CMARK_OPT_GITHUB_PRE_LANG;
static const int CCMARKGFM_OPT_TABLE_PREFER_STYLE_ATTRIBUTES = CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;

#endif
