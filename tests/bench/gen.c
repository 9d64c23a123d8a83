/* Writes a deterministic inventory for the benchmark, shaped like the
 * real catalogues its vocabulary was measured on (see vocab.py):
 *
 *   gen ROWS VOCABULARY > inventory.csv
 *
 * Each product's list has a length drawn from the real lengths; its
 * pieces are drawn by their real counts (so case variants and
 * misspellings come in their real proportions) and stand in their usual
 * order. The number of distinct pieces follows the long tail measured on
 * the real lists (V = K n^beta after n pieces): whenever the pieces drawn
 * fall behind it, the next one is a new piece of the kind the pieces seen
 * once are (a case variant, a misspelling, or another name). Lists use
 * the real separators, sometimes end with '.', sometimes sit in a
 * Python-list cell, and sometimes repeat a recent product's list (shade
 * and size variants). */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEN 512      /* pieces in one list */
#define MAX_LABELS 1024  /* values of one distribution */
#define RECENT 64        /* lists a duplicate is copied from */
#define LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct name {
	char *s;
	unsigned pos;        /* usual place in a list, 0..100 */
	int used;            /* printed already */
} name;

typedef struct weighted {    /* a small distribution: labels and counts */
	char *label[MAX_LABELS];
	uint64_t cum[MAX_LABELS];
	size_t n;
} weighted;

static name *names;
static size_t nnames, cap_names;
static uint64_t *cum; /* cumulative counts of names */
static size_t *multiword; /* names of two words or more */
static size_t nmultiword;
static weighted lengths, seps, tails, styles, edits;
static unsigned long lists_total, dups, ends, wrapped;
static double curve[32][2], beta; /* distinct pieces among n: real, then
					 growing as n^beta */
static size_t ncurve;
static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void) /* splitmix64 */
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

static int chance(unsigned long k, unsigned long of)
{
	return of && below(of) < k;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		fprintf(stderr, "gen: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

/* ------------------------------------------------ the set of pieces */

static char **set;
static size_t set_slots, set_used;

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Adds s (kept, not copied); 0 when it was there already. */
static int set_add(char *s)
{
	if ((set_used + 1) * 2 > set_slots) {
		size_t n = set_slots ? set_slots * 2 : 1 << 16;
		char **t = xmalloc(n * sizeof(*t));
		memset(t, 0, n * sizeof(*t));
		for (size_t i = 0; i < set_slots; i++) {
			if (set[i] == NULL)
				continue;
			size_t j = hash(set[i]) & (n - 1);
			while (t[j])
				j = (j + 1) & (n - 1);
			t[j] = set[i];
		}
		free(set);
		set = t;
		set_slots = n;
	}
	size_t j = hash(s) & (set_slots - 1);
	for (; set[j]; j = (j + 1) & (set_slots - 1))
		if (strcmp(set[j], s) == 0)
			return 0;
	set[j] = s;
	set_used++;
	return 1;
}

/* ------------------------------------------------------ the vocabulary */

static void weighted_add(weighted *w, const char *label, uint64_t count)
{
	if (w->n == LEN(w->label)) {
		fprintf(stderr, "gen: more than %zu values of one distribution\n",
			LEN(w->label));
		exit(2);
	}
	w->label[w->n] = xstrdup(label);
	w->cum[w->n] = (w->n ? w->cum[w->n - 1] : 0) + count;
	w->n++;
}

static const char *weighted_draw(const weighted *w)
{
	if (w->n == 0)
		return NULL;
	uint64_t x = below(w->cum[w->n - 1]);
	size_t i = 0;
	while (w->cum[i] <= x)
		i++;
	return w->label[i];
}

static void directive(char *line)
{
	char word[32];
	unsigned long a;
	int off;
	if (sscanf(line, "%%%31s %n", word, &off) != 1)
		return;
	char *rest = line + off;
	if (strcmp(word, "beta") == 0) {
		beta = atof(rest);
	} else if (strcmp(word, "curve") == 0 && ncurve < LEN(curve)) {
		if (sscanf(rest, "%lf %lf", &curve[ncurve][0], &curve[ncurve][1]) == 2)
			ncurve++;
	} else if (strcmp(word, "lists") == 0) {
		lists_total = strtoul(rest, NULL, 10);
	} else if (strcmp(word, "dups") == 0) {
		dups = strtoul(rest, NULL, 10);
	} else if (strcmp(word, "ends") == 0) {
		ends = strtoul(rest, NULL, 10);
	} else if (strcmp(word, "wrapped") == 0) {
		wrapped = strtoul(rest, NULL, 10);
	} else if (strcmp(word, "sep") == 0) {
		/* COUNT, one space, then the separator to the end of the line */
		char *sep;
		a = strtoul(rest, &sep, 10);
		if (*sep == ' ')
			sep++;
		weighted_add(&seps, sep, a);
	} else {
		weighted *w = strcmp(word, "length") == 0  ? &lengths
			      : strcmp(word, "tail") == 0  ? &tails
			      : strcmp(word, "style") == 0 ? &styles
			      : strcmp(word, "edits") == 0 ? &edits
							   : NULL;
		char label[64];
		if (w && sscanf(rest, "%63s %lu", label, &a) == 2)
			weighted_add(w, label, a);
	}
}

static size_t words_of(const char *s);

static int balanced(const char *s)
{
	int depth = 0;
	for (; *s && depth >= 0; s++)
		depth += (*s == '(' || *s == '[') - (*s == ')' || *s == ']');
	return depth == 0;
}

static void read_vocabulary(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	char line[4096];
	uint64_t total = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '%') {
			directive(line);
			continue;
		}
		unsigned long count;
		unsigned pos;
		int off;
		if (line[0] == '#' || sscanf(line, "%lu\t%u\t%n", &count, &pos, &off) != 2 ||
		    line[off] == '\0')
			continue;
		if (nnames == cap_names) {
			cap_names = cap_names ? cap_names * 2 : 1024;
			names = realloc(names, cap_names * sizeof(*names));
			cum = realloc(cum, cap_names * sizeof(*cum));
			if (names == NULL || cum == NULL) {
				fprintf(stderr, "gen: out of memory\n");
				exit(2);
			}
		}
		names[nnames] = (name){xstrdup(line + off), pos, 0};
		total += count;
		cum[nnames] = total;
		if (!set_add(names[nnames].s))
			continue; /* listed twice: the first counts */
		nnames++;
	}
	fclose(f);
	if (nnames == 0 || lengths.n == 0) {
		fprintf(stderr, "gen: %s: no names or no list lengths\n", path);
		exit(2);
	}
	multiword = xmalloc(nnames * sizeof(*multiword));
	for (size_t i = 0; i < nnames; i++)
		if (balanced(names[i].s) && words_of(names[i].s) >= 2)
			multiword[nmultiword++] = i;
}

static size_t draw_name(void)
{
	uint64_t x = below(cum[nnames - 1]);
	size_t lo = 0, hi = nnames - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cum[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ------------------------------------------------------- new pieces */

static void restyle(char *s, const char *style)
{
	int start = 1;
	int word_upper = 0;
	for (char *c = s; *c; c++) {
		if (start && strcmp(style, "other") == 0)
			word_upper = (int)below(2);
		if (strcmp(style, "upper") == 0 || (word_upper && *style == 'o'))
			*c = (char)toupper((unsigned char)*c);
		else if (strcmp(style, "lower") == 0 || !start)
			*c = (char)tolower((unsigned char)*c);
		else
			*c = (char)toupper((unsigned char)*c);
		start = *c == ' ' || *c == '(' || *c == '/' || *c == '-';
	}
}

/* One edit at a letter: another letter, one dropped, one doubled, or
 * two swapped, as typing slips do. */
static void slip(char *s)
{
	size_t n = strlen(s), at[256], k = 0;
	for (size_t i = 0; i < n && k < 256; i++)
		if (isalpha((unsigned char)s[i]))
			at[k++] = i;
	if (k < 2)
		return;
	size_t i = at[below(k)];
	switch (below(4)) {
	case 0:
		s[i] = (char)(isupper((unsigned char)s[i]) ? 'A' + below(26) : 'a' + below(26));
		break;
	case 1:
		memmove(s + i, s + i + 1, n - i);
		break;
	case 2:
		memmove(s + i + 1, s + i, n - i + 1);
		break;
	default:
		if (i + 1 < n && isalpha((unsigned char)s[i + 1])) {
			char c = s[i];
			s[i] = s[i + 1];
			s[i + 1] = c;
		}
	}
}

/* Where the k-th space outside brackets of s is (k >= 1), or its end. */
static const char *after_words(const char *s, size_t k)
{
	int depth = 0;
	for (; *s; s++) {
		depth += (*s == '(' || *s == '[') - (*s == ')' || *s == ']');
		if (*s == ' ' && depth == 0 && --k == 0)
			return s;
	}
	return s;
}

static size_t words_of(const char *s)
{
	size_t n = 0;
	while (*s) {
		s = after_words(s, 1);
		n++;
		s += *s == ' ';
	}
	return n;
}

/* The first words of one name, then the last of another: "Vitis
 * Vinifera" and "Leaf Extract" make a name no list held. Words are cut
 * outside brackets only, as a name stays balanced. */
static char *recombine(unsigned *pos)
{
	if (nmultiword < 2)
		return NULL;
	const name *a = &names[multiword[below(nmultiword)]];
	const name *b = &names[multiword[below(nmultiword)]];
	size_t wa = words_of(a->s), wb = words_of(b->s);
	size_t na = (size_t)(after_words(a->s, (wa + 1) / 2) - a->s);
	const char *tail = after_words(b->s, wb - wb / 2);
	tail += *tail == ' ';
	char *s = xmalloc(na + 1 + strlen(tail) + 1);
	memcpy(s, a->s, na);
	s[na] = ' ';
	strcpy(s + na + 1, tail);
	*pos = b->pos;
	return s;
}

static char *new_piece(unsigned *pos)
{
	for (unsigned tries = 0;; tries++) {
		const char *kind = tries < 50 ? weighted_draw(&tails) : "name";
		char *s;
		if (kind == NULL || strcmp(kind, "name") == 0) {
			s = recombine(pos);
			if (s == NULL)
				return NULL;
		} else {
			const name *base = &names[draw_name()];
			s = xmalloc(strlen(base->s) + 8);
			strcpy(s, base->s);
			*pos = base->pos;
			if (strcmp(kind, "case") == 0) {
				const char *style = weighted_draw(&styles);
				restyle(s, style ? style : "upper");
			} else {
				const char *e = weighted_draw(&edits);
				for (int k = e ? atoi(e) : 1; k > 0; k--)
					slip(s);
			}
		}
		if (tries > 1000) { /* every name made already: number it */
			char *t = xmalloc(strlen(s) + 24);
			sprintf(t, "%s %u", s, tries);
			free(s);
			s = t;
		}
		if (s[0] && set_add(s))
			return s;
		free(s);
	}
}

/* ---------------------------------------------------------- a product */

typedef struct piece {
	const char *s;
	unsigned key; /* its place, with some play */
} piece;

static int by_key(const void *a, const void *b)
{
	unsigned x = ((const piece *)a)->key, y = ((const piece *)b)->key;
	return (x > y) - (x < y);
}

static unsigned long pieces_made, distinct;

/* How many distinct pieces n pieces of real lists hold: the measured
 * curve (log-log between its points), continued as n^beta; 0 without
 * one (the best case draws its names only). */
static double distinct_among(double n)
{
	if (ncurve == 0)
		return 0;
	if (n <= curve[0][0])
		return n * curve[0][1] / curve[0][0];
	size_t i = 1;
	while (i < ncurve && curve[i][0] < n)
		i++;
	if (i == ncurve)
		return curve[i - 1][1] * pow(n / curve[i - 1][0], beta);
	double t = log(n / curve[i - 1][0]) / log(curve[i][0] / curve[i - 1][0]);
	return curve[i - 1][1] * pow(curve[i][1] / curve[i - 1][1], t);
}

static piece next_piece(void)
{
	pieces_made++;
	double behind = distinct_among((double)pieces_made) - (double)distinct;
	unsigned pos;
	if (behind >= 1) {
		char *s = new_piece(&pos);
		if (s) {
			distinct++;
			return (piece){s, pos * 16 + (unsigned)below(160)};
		}
	}
	name *n = &names[draw_name()];
	if (!n->used) {
		n->used = 1;
		distinct++;
	}
	return (piece){n->s, n->pos * 16 + (unsigned)below(160)};
}

/* The ingredient list of one product, as the cell's text. */
static void make_list(char *out, size_t cap)
{
	static piece list[MAX_LEN];
	size_t len = (size_t)atoi(weighted_draw(&lengths));
	if (len > MAX_LEN)
		len = MAX_LEN;
	size_t n = 0;
	for (size_t tries = 0; n < len && tries < len * 4; tries++) {
		piece p = next_piece();
		size_t k = 0;
		while (k < n && list[k].s != p.s)
			k++;
		if (k == n) /* a list names each ingredient once */
			list[n++] = p;
	}
	qsort(list, n, sizeof(*list), by_key);
	int py = chance(wrapped, lists_total);
	const char *sep = py ? ", " : weighted_draw(&seps);
	if (sep == NULL)
		sep = ", ";
	size_t at = 0;
	out[0] = '\0';
	if (py)
		at += (size_t)snprintf(out, cap, "['");
	for (size_t k = 0; k < n && at < cap; k++)
		at += (size_t)snprintf(out + at, cap - at, "%s%s", k ? sep : "", list[k].s);
	if (at < cap && chance(ends, lists_total))
		at += (size_t)snprintf(out + at, cap - at, ".");
	if (py && at < cap)
		snprintf(out + at, cap - at, "']");
}

static void put_quoted(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen ROWS VOCABULARY\n");
		return 2;
	}
	unsigned long rows = strtoul(argv[1], NULL, 10);
	read_vocabulary(argv[2]);
	static char outbuf[1 << 20];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	static const char *const labels[] = {
		"Moisturizer", "Cleanser", "Face Mask", "Treatment", "Eye cream",
		"Sun protect", "Serum", "Toner", "Body Wash", "Oil", "Balm", "Mist"};
	static const char *const brands[] = {
		"Aurelle", "Bonnard & Fils", "Cedar Lane", "Dermalab", "Elan",
		"Fjord Skin", "Greenhouse", "Hana", "Isle of Kelp", "Juniper & Co"};
	static const char *const words[] = {
		"Daily", "Hydrating", "Gentle", "Renewing", "Night", "Barrier",
		"Clarifying", "Radiance", "Calming", "Ultra", "Soft", "Deep"};
	static char *recent[RECENT];
	static char list[1 << 16];
	printf("sku,Label,Brand,Name,Price,Rank,Ingredients,Combination,Dry,Normal,"
	       "Oily,Sensitive\n");
	for (unsigned long r = 1; r <= rows; r++) {
		size_t l = below(LEN(labels));
		printf("SKU%07lu,%s,%s,", r, labels[l], brands[below(LEN(brands))]);
		char product[160];
		if (below(20) == 0) /* a name with quotes and a comma */
			snprintf(product, sizeof(product), "The \"%s\" %s, %lu ml",
				 words[below(LEN(words))], labels[l], 15 + below(10) * 5);
		else
			snprintf(product, sizeof(product), "%s %s %s %lu ml",
				 words[below(LEN(words))], words[below(LEN(words))],
				 labels[l], 15 + below(10) * 5);
		put_quoted(product);
		size_t slot = r % RECENT;
		if (r > RECENT && chance(dups, lists_total)) {
			snprintf(list, sizeof(list), "%s", recent[below(RECENT)]);
		} else {
			make_list(list, sizeof(list));
			free(recent[slot]);
			recent[slot] = xstrdup(list);
		}
		printf(",%lu.%02lu,%lu.%lu,", 5 + below(120), below(100), 1 + below(4),
		       below(10));
		put_quoted(list);
		for (int k = 0; k < 5; k++)
			printf(",%d", (int)below(2));
		putchar('\n');
	}
	fprintf(stderr, "gen: %lu rows, %lu pieces, %lu distinct\n", rows,
		pieces_made, distinct);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
