/* Opening the lexicon: the built-in one from its image, made at build
 * time (lexicon_write.c) and read by image.c; any other (a lexicon
 * directory, known-name files) parsed by the loader (lexicon.c). */
#include <string.h>
#include <utf8proc.h>

#include "knowledge/lexicon.h"

ndl_lexicon *ndl_lexicon_open(const ndl_config *cfg, ndl_error *err)
{
	return ndl_lexicon_open_with(cfg, NULL, NULL, 0, err);
}

ndl_lexicon *ndl_lexicon_open_with(const ndl_config *cfg, const char *name,
				   const char *data, size_t len, ndl_error *err)
{
	/* the image's keys hold only while names normalise as they did
	 * when it was made */
	int builtin = name == NULL &&
		      (cfg == NULL || (cfg->lexicon_dir == NULL &&
				       cfg->nknown_files == 0)) &&
		      strcmp(ndl_builtin_image.normalizer, utf8proc_version()) == 0;
	if (builtin)
		return ndl_lexicon_from_image(&ndl_builtin_image, cfg, err);
	return ndl_lexicon_load(cfg, name, data, len, err);
}
