/* Writes a deterministic synthetic inventory for the benchmark:
 * gen ROWS VOCABULARY > inventory.csv. Lists open with water, then draw
 * from the three bands of the vocabulary by weight, as real lists do:
 * 15 to 45 ingredients, a few actives, a fragrance tail. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 512

typedef struct word {
	char name[96];
	unsigned weight;
} word;

static word band[3][MAX_WORDS];
static size_t nband[3];
static unsigned total[3];
static uint64_t state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void) /* splitmix64 */
{
	uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

/* Draws k distinct words of band b, by weight. */
static void draw(int b, unsigned k, int *first)
{
	unsigned char used[MAX_WORDS] = {0};
	if (k > nband[b])
		k = (unsigned)nband[b];
	for (unsigned i = 0; i < k; i++) {
		size_t w;
		do {
			unsigned x = below(total[b]);
			for (w = 0; x >= band[b][w].weight; w++)
				x -= band[b][w].weight;
		} while (used[w]);
		used[w] = 1;
		printf("%s%s", *first ? "" : ", ", band[b][w].name);
		*first = 0;
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen ROWS VOCABULARY\n");
		return 2;
	}
	unsigned long rows = strtoul(argv[1], NULL, 10);
	FILE *f = fopen(argv[2], "r");
	if (f == NULL) {
		perror(argv[2]);
		return 2;
	}
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		int b;
		unsigned w;
		char name[96];
		if (line[0] == '#' || sscanf(line, "%d\t%u\t%95[^\t\n]", &b, &w, name) != 3)
			continue;
		if (b < 1 || b > 3 || nband[b - 1] == MAX_WORDS)
			continue;
		word *x = &band[b - 1][nband[b - 1]++];
		snprintf(x->name, sizeof(x->name), "%s", name);
		x->weight = w;
		total[b - 1] += w;
	}
	fclose(f);
	static const char *const brands[] = {
		"Aurelle", "Bonnard & Fils", "Cedar Lane", "Dermalab", "Elan",
		"Fjord Skin", "Greenhouse", "Hana", "Isle of Kelp", "Juniper & Co"};
	static const char *const kinds[] = {
		"Night Serum", "Day Cream SPF 30", "Gentle Cleanser", "Toner",
		"Eye Cream", "Face Mask", "Body Lotion", "Exfoliating Peel",
		"Sheet Mask", "Lip Balm", "Foundation", "Facial Oil"};
	static const char *const heads[] = {"Aqua (Water)", "Water", "Aqua/Water/Eau",
					    "Aqua"};
	printf("sku,name,brand,ingredients,price\n");
	for (unsigned long r = 1; r <= rows; r++) {
		printf("SKU%07lu,%s %lu,%s,\"", r, kinds[below(12)], r % 997,
		       brands[below(10)]);
		int first = 1;
		if (below(100) < 95) {
			printf("%s", heads[below(4)]);
			first = 0;
		}
		draw(0, 3 + below(6), &first);
		draw(1, 5 + below(16), &first);
		draw(2, 3 + below(8), &first);
		printf("\",%u.%02u\n", 5 + below(60), below(100));
	}
	return ferror(stdout) ? 1 : 0;
}
