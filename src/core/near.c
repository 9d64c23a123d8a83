#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "core/near.h"

/* The pieces of a name: 2d + 1 for the d edits it may be away. */
#define PIECES(klen) ((klen) < NDL_NEAR_TWO_EDITS ? 3u : 5u)
/* The longest piece: of the longest key, in 5; and of a key of 8, in 3. */
#define PIECE_MAX (NDL_NEAR_MAX_KEY / 5 + 1 > 3 ? NDL_NEAR_MAX_KEY / 5 + 1 : 3)


static unsigned word_count(const char *s)
{
	unsigned n = 1;
	for (; *s; s++)
		n += *s == ' ';
	return n;
}

uint32_t ndl_near_bytes(const char *s, size_t n)
{
	uint32_t m = 0;
	for (size_t i = 0; i < n; i++)
		m |= (uint32_t)1 << ((unsigned char)s[i] & 31);
	return m;
}

uint64_t ndl_near_pairs(const char *s, size_t n)
{
	uint64_t m = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		uint32_t pair = (uint32_t)(unsigned char)s[i] << 8 | (unsigned char)s[i + 1];
		m |= (uint64_t)1 << ((pair * 0x9E3779B1u) >> 26);
	}
	return m;
}

/* Piece k of a name of klen letters: [*start, *start + return). */
static size_t piece(unsigned klen, unsigned k, size_t *start)
{
	*start = (size_t)k * klen / PIECES(klen);
	return (size_t)(k + 1) * klen / PIECES(klen) - *start;
}

/* The hash of piece k of a name of klen letters whose bytes hash to
 * bytes (ndl_hash). */
static uint64_t piece_hash(uint64_t bytes, unsigned klen, unsigned k)
{
	uint64_t h = bytes ^ ((uint64_t)(klen * 8 + k) * 0x9E3779B97F4A7C15ULL);
	return h ^ (h >> 31);
}

static int by_key_length(const void *a, const void *b)
{
	const ndl_near_name *x = a, *y = b;
	return x->klen != y->klen ? (x->klen < y->klen ? -1 : 1)
	       : x->entry != y->entry ? (x->entry < y->entry ? -1 : 1)
				       : strcmp(x->key, y->key);
}

/* The names of classes and known names, sorted. */
static int collect(ndl_near *nr, const ndl_lexicon *lex)
{
	size_t n = 0;
	for (size_t i = 0; i < lex->nentries; i++)
		n += ndl_entry_at(lex, i)->nnames;
	nr->names = calloc(n ? n : 1, sizeof(*nr->names));
	if (nr->names == NULL)
		return -1;
	char norm[512], key[512];
	for (size_t i = 0; i < lex->nentries; i++) {
		const ndl_entry *e = ndl_entry_at(lex, i);
		const ndl_class *c = &lex->classes[e->cls];
		if (c->role != NDL_ROLE_CLASS && c->role != NDL_ROLE_KNOWN)
			continue;
		for (size_t k = 0; k < e->nnames; k++) {
			size_t len = ndl_normalize(e->names[k], strlen(e->names[k]),
						   norm, sizeof(norm));
			memcpy(key, norm, len + 1);
			size_t klen = ndl_compact(key, len);
			if (klen < NDL_NEAR_MIN_KEY || klen > NDL_NEAR_MAX_KEY)
				continue;
			char *w = ndl_arena_strndup(&nr->mem, norm, len);
			char *kk = ndl_arena_strndup(&nr->mem, key, klen);
			if (w == NULL || kk == NULL)
				return -1;
			nr->names[nr->nnames++] = (ndl_near_name){
				kk, w, (unsigned)klen, word_count(w), (uint32_t)i};
		}
	}
	qsort(nr->names, nr->nnames, sizeof(*nr->names), by_key_length);
	nr->test = malloc((nr->nnames + 1) * sizeof(*nr->test));
	nr->pairs = malloc((nr->nnames + 1) * sizeof(*nr->pairs));
	if (nr->test == NULL || nr->pairs == NULL)
		return -1;
	for (size_t k = 0; k < nr->nnames; k++) {
		const ndl_near_name *nn = &nr->names[k];
		nr->test[k] = (ndl_near_bytes(nn->key, nn->klen) & 0x07FFFFFF) |
			      (uint32_t)(nn->nwords < 31 ? nn->nwords : 31) << 27;
		nr->pairs[k] = ndl_near_pairs(nn->key, nn->klen);
	}
	return 0;
}

/* Every piece of every name, by bucket of its hash: counted, then
 * placed, in the names' order. */
static int index_pieces(ndl_near *nr)
{
	size_t n = 0;
	for (size_t i = 0; i < nr->nnames; i++)
		n += PIECES(nr->names[i].klen);
	nr->nbuckets = 16; /* about one or two pieces a bucket */
	while (nr->nbuckets * 2 < n)
		nr->nbuckets *= 2;
	nr->bucket_at = calloc(nr->nbuckets + 1, sizeof(*nr->bucket_at));
	nr->pieces = malloc((n ? n : 1) * sizeof(*nr->pieces));
	if (nr->bucket_at == NULL || nr->pieces == NULL)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nr->nnames; i++) {
			const ndl_near_name *nn = &nr->names[i];
			for (unsigned k = 0; k < PIECES(nn->klen); k++) {
				size_t start, len = piece(nn->klen, k, &start);
				uint64_t h = piece_hash(ndl_hash(nn->key + start, len), nn->klen, k);
				uint32_t *at = &nr->bucket_at[h & (nr->nbuckets - 1)];
				if (pass == 0)
					at[1]++;
				else
					nr->pieces[at[0]++] = (ndl_near_piece){
						(uint32_t)(h >> 32), (uint32_t)i};
			}
		}
		/* pass 0 counts, and the counts become the starts; pass 1
		 * moves each start to its bucket's end: shifted back by one */
		if (pass == 0)
			for (size_t b = 0; b < nr->nbuckets; b++)
				nr->bucket_at[b + 1] += nr->bucket_at[b];
		else
			memmove(nr->bucket_at + 1, nr->bucket_at,
				nr->nbuckets * sizeof(*nr->bucket_at));
	}
	nr->bucket_at[0] = 0;
	return 0;
}

int ndl_near_build(ndl_near *nr, const ndl_lexicon *lex)
{
	memset(nr, 0, sizeof(*nr));
	nr->mem.block_size = 1 << 16;
	if (collect(nr, lex) || index_pieces(nr)) {
		ndl_near_free(nr);
		return -1;
	}
	return 0;
}

void ndl_near_free(ndl_near *nr)
{
	if (nr->builtin) {
		memset(nr, 0, sizeof(*nr));
		return;
	}
	free(nr->names);
	free(nr->test);
	free(nr->pairs);
	free(nr->bucket_at);
	free(nr->pieces);
	ndl_arena_free(&nr->mem);
	memset(nr, 0, sizeof(*nr));
}

int ndl_near_found_init(ndl_near_found *f, const ndl_near *nr)
{
	memset(f, 0, sizeof(*f));
	f->seen = calloc(nr->nnames + 1, sizeof(*f->seen));
	f->at = malloc((nr->nnames + 1) * sizeof(*f->at));
	if (f->seen == NULL || f->at == NULL) {
		ndl_near_found_free(f);
		return -1;
	}
	return 0;
}

void ndl_near_found_free(ndl_near_found *f)
{
	free(f->seen);
	free(f->at);
	memset(f, 0, sizeof(*f));
}

/* Room for the buckets a search looks in: five lengths, five pieces
 * each, and at most three shifts of a piece (two edits) */
#define MAX_PROBES (5 * 5 * 3)

/* For each length a name within reach may have, each of its pieces is
 * looked for in the key where the edits before it may have moved it.
 * The buckets are found first and read after: the index is larger than
 * the processor's caches, and the waits on its memory then overlap. */
size_t ndl_near_candidates(const ndl_near *nr, const char *key, size_t kl,
			   ndl_near_found *f)
{
	f->n = 0;
	if (nr->nnames == 0 || kl < NDL_NEAR_MIN_KEY - 2 || kl > NDL_NEAR_MAX_KEY + 2)
		return 0;
	if (++f->stamp == 0) {
		memset(f->seen, 0, nr->nnames * sizeof(*f->seen));
		f->stamp = 1;
	}
	/* the same bytes are a piece for several lengths and shifts: each
	 * span of the key is hashed once */
	uint64_t hashed[PIECE_MAX + 1], bytes[PIECE_MAX + 1][NDL_NEAR_MAX_KEY + 2];
	memset(hashed, 0, sizeof(hashed));
	struct {
		uint32_t bucket, tag;
	} probe[MAX_PROBES];
	size_t np = 0;
	unsigned lo = kl < NDL_NEAR_MIN_KEY + 2 ? NDL_NEAR_MIN_KEY : (unsigned)kl - 2;
	unsigned hi = kl + 2 > NDL_NEAR_MAX_KEY ? NDL_NEAR_MAX_KEY : (unsigned)kl + 2;
	for (unsigned klen = lo; klen <= hi; klen++) {
		long d = kl >= NDL_NEAR_TWO_EDITS && klen >= NDL_NEAR_TWO_EDITS ? 2 : 1;
		if ((long)klen - (long)kl > d || (long)kl - (long)klen > d)
			continue;
		/* how far the edits before a piece move it: they add and
		 * remove letters, net the difference of the lengths, and
		 * what one adds beyond that another removes */
		long net = (long)kl - (long)klen, spare = (d - labs(net)) / 2;
		long lo_shift = net >= 0 ? -spare : net - spare;
		long hi_shift = net >= 0 ? net + spare : spare;
		for (unsigned k = 0; k < PIECES(klen); k++) {
			size_t start, len = piece(klen, k, &start);
			for (long s = lo_shift; s <= hi_shift; s++) {
				long at = (long)start + s;
				if (at < 0 || (size_t)at + len > kl)
					continue;
				if (!(hashed[len] >> at & 1)) {
					bytes[len][at] = ndl_hash(key + at, len);
					hashed[len] |= (uint64_t)1 << at;
				}
				uint64_t h = piece_hash(bytes[len][at], klen, k);
				probe[np].bucket = (uint32_t)(h & (nr->nbuckets - 1));
				probe[np].tag = (uint32_t)(h >> 32);
				NDL_PREFETCH(&nr->bucket_at[probe[np].bucket]);
				np++;
			}
		}
	}
	for (size_t p = 0; p < np; p++)
		NDL_PREFETCH(&nr->pieces[nr->bucket_at[probe[p].bucket]]);
	for (size_t p = 0; p < np; p++) {
		uint32_t b = probe[p].bucket, tag = probe[p].tag;
		for (uint32_t e = nr->bucket_at[b]; e < nr->bucket_at[b + 1]; e++) {
			uint32_t name = nr->pieces[e].name;
			if (nr->pieces[e].tag != tag || f->seen[name] == f->stamp)
				continue;
			f->seen[name] = f->stamp;
			f->at[f->n++] = name; /* each once: fits */
		}
	}
	return f->n;
}

/* Bit-parallel (Hyyrö, "A bit-vector algorithm for computing Levenshtein
 * and Damerau edit distances", 2003): a column of the table is two bit
 * vectors, its steps up and down along a, so a column costs a few word
 * operations instead of a cell each. The distance in the last row is
 * kept; once the columns left cannot bring it back to 2, the answer is
 * known. */
int ndl_within_two(const char *a, size_t an, const char *b, size_t bn)
{
	if (an > bn + 2 || bn > an + 2 || an > 62 || bn > 62)
		return -1;
	if (an == 0 || bn == 0)
		return an + bn <= 2 ? (int)(an + bn) : -1;
	uint64_t peq[256]; /* per byte: where a holds it; only b's are read */
	for (size_t j = 0; j < bn; j++)
		peq[(unsigned char)b[j]] = 0;
	for (size_t i = 0; i < an; i++)
		peq[(unsigned char)a[i]] = 0;
	for (size_t i = 0; i < an; i++)
		peq[(unsigned char)a[i]] |= (uint64_t)1 << i;
	uint64_t vp = ~(uint64_t)0, vn = 0, d0 = 0, pm_before = 0;
	uint64_t last = (uint64_t)1 << (an - 1);
	size_t score = an;
	for (size_t j = 0; j < bn; j++) {
		uint64_t pm = peq[(unsigned char)b[j]];
		uint64_t tr = ((~d0 & pm) << 1) & pm_before; /* a transposition */
		d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
		uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
		if (hp & last)
			score++;
		else if (hn & last)
			score--;
		if (score > 2 + (bn - j - 1))
			return -1;
		uint64_t x = (hp << 1) | 1;
		vn = x & d0;
		vp = (hn << 1) | ~(x | d0);
		pm_before = pm;
	}
	return score <= 2 ? (int)score : -1;
}

/* ------------------------------------------------ the built-in index */

int ndl_near_write_c(const ndl_near *nr, FILE *out)
{
	fputs("/* The near-name index of the built-in lexicon, generated by "
	      "src/core/near.c. */\n#include \"core/near.h\"\n\n", out);
	/* the strings by their offsets in W: no relocation */
	fputs("#define O(at) ((const char *)(at))\n\n"
	      "static const ndl_near_name N[] = {\n", out);
	ndl_strtab t = {0};
	for (size_t i = 0; i < nr->nnames; i++) {
		const ndl_near_name *n = &nr->names[i];
		uint32_t key = ndl_strtab_add(&t, ndl_near_key(nr, n));
		uint32_t words = ndl_strtab_add(&t, ndl_near_words(nr, n));
		fprintf(out, "\t{O(%" PRIu32 "), O(%" PRIu32 "), %uu, %uu, %" PRIu32 "u},\n",
			key, words, n->klen, n->nwords, n->entry);
	}
	int failed = t.failed;
	fputs("\t{0}};\n\n", out);
	ndl_strtab_write(&t, out, "W");
	fputs("static const uint32_t T[] = {", out);
	for (size_t i = 0; i < nr->nnames; i++)
		fprintf(out, "%s%" PRIu32 "u,", i % 8 ? "" : "\n\t", nr->test[i]);
	fputs("0};\n\nstatic const uint64_t G[] = {", out);
	for (size_t i = 0; i < nr->nnames; i++)
		fprintf(out, "%s%" PRIu64 "u,", i % 4 ? "" : "\n\t", nr->pairs[i]);
	fputs("0};\n\nstatic const uint32_t A[] = {", out);
	for (size_t b = 0; b <= nr->nbuckets; b++)
		fprintf(out, "%s%" PRIu32 "u,", b % 10 ? "" : "\n\t", nr->bucket_at[b]);
	fputs("};\n\nstatic const ndl_near_piece P[] = {", out);
	size_t npieces = nr->bucket_at[nr->nbuckets];
	for (size_t k = 0; k < npieces; k++)
		fprintf(out, "%s{%" PRIu32 "u,%" PRIu32 "u},", k % 5 ? "" : "\n\t",
			nr->pieces[k].tag, nr->pieces[k].name);
	fprintf(out, "{0,0}};\n\nconst ndl_near ndl_builtin_near = {\n"
		     "\t.names = (ndl_near_name *)N, .nnames = %zu,\n"
		     "\t.test = (uint32_t *)T, .pairs = (uint64_t *)G,\n"
		     "\t.bucket_at = (uint32_t *)A,\n"
		     "\t.nbuckets = %zu, .pieces = (ndl_near_piece *)P, .builtin = 1,\n"
		     "\t.base = W};\n",
		nr->nnames, nr->nbuckets);
	return failed || ferror(out) ? -1 : 0;
}

int ndl_near_generate(FILE *out)
{
	ndl_error err = {0};
	ndl_near nr;
	ndl_lexicon *lex = ndl_lexicon_load(NULL, NULL, NULL, 0, &err);
	int rc = lex == NULL || ndl_near_build(&nr, lex) != 0 ? -1 : 0;
	if (rc == 0) {
		rc = ndl_near_write_c(&nr, out);
		ndl_near_free(&nr);
	} else {
		char msg[1024];
		ndl_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
	}
	ndl_lexicon_free(lex);
	return rc;
}
