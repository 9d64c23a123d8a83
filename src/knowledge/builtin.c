/* Opening the lexicon: the built-in one from its image, made at build
 * time (lexicon_write.c), in the time it takes to decode its patterns
 * (and read a clinic's protocol file); any other (a lexicon directory,
 * known-name files) parsed by the loader (lexicon.c). */
#include <stdlib.h>
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

/* The code of img's patterns into pats: decoded, or compiled from their
 * source when img's code is not this PCRE2's (another version). */
static int image_patterns(const ndl_lexicon_image *img, ndl_pattern *pats,
			  size_t n, ndl_error *err)
{
	pcre2_code **codes = calloc(n, sizeof(*codes));
	if (codes == NULL)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	int32_t got = img->code_len ? pcre2_serialize_decode(codes, (int32_t)n,
							     img->code, NULL)
				    : 0;
	if (got != (int32_t)n)
		for (int32_t i = 0; i < got; i++)
			pcre2_code_free(codes[i]);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		int code;
		size_t off;
		pats[i].code = got == (int32_t)n
				       ? codes[i]
				       : ndl_pattern_compile(pats[i].src, &code, &off);
		if (pats[i].code == NULL && rc == 0)
			rc = ndl_fail(err, NULL, 0, 0, "pattern '%s' does not compile",
				      pats[i].src);
	}
	free(codes);
	return rc;
}

/* A protocol file over the image's windows, in a copy of its classes.
 * Their order stays: every class of an image has its window (the build
 * checked it), so a protocol file changes windows, never the order. */
static int image_protocol(ndl_lexicon *lex, const char *file, ndl_error *err)
{
	ndl_class *classes = malloc(lex->nclasses * sizeof(*classes));
	if (classes == NULL)
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	memcpy(classes, lex->classes, lex->nclasses * sizeof(*classes));
	lex->classes = classes;
	return ndl_lexicon_read_protocol(lex, file, err);
}

ndl_lexicon *ndl_lexicon_from_image(const ndl_lexicon_image *img,
				    const ndl_config *cfg, ndl_error *err)
{
	const ndl_lexicon *src = img->lex;
	size_t n = src->npatterns;
	ndl_lexicon *lex = malloc(sizeof(*lex));
	ndl_pattern *pats = malloc((n ? n : 1) * sizeof(*pats));
	if (lex == NULL || pats == NULL) {
		free(lex);
		free(pats);
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	*lex = *src;
	lex->image = img;
	if (n)
		memcpy(pats, src->patterns, n * sizeof(*pats));
	for (size_t i = 0; i < n; i++)
		pats[i].jit = cfg == NULL || !cfg->no_jit;
	lex->patterns = pats;
	lex->cap_patterns = n;
	memset(&lex->mem, 0, sizeof(lex->mem)); /* this lexicon's own */
	if ((n && image_patterns(img, pats, n, err) != 0) ||
	    (cfg && cfg->protocol_file && image_protocol(lex, cfg->protocol_file, err)) ||
	    ndl_tables_build(lex, err) != 0) {
		ndl_lexicon_free(lex);
		return NULL;
	}
	return lex;
}
