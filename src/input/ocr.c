/* Reading a photo of a label with Leptonica and Tesseract (ocr.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input/ocr.h"
#include "base/text.h"
#include "base/util.h"

#define INSTALL_HINT \
	"apt-get install libtesseract-dev libleptonica-dev " \
	"tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu"

void ndl_ocr_page_free(ndl_ocr_page *page)
{
	if (page == NULL)
		return;
	free(page->text);
	free(page->words);
	memset(page, 0, sizeof(*page));
}

int ndl_ocr_available(void)
{
#ifdef NDL_HAVE_OCR
	return 1;
#else
	return 0;
#endif
}

/* The checks that need no decoder: size, format, JPEG scans. */
static int check_container(const void *data, size_t len,
			   const ndl_ocr_limits *lim, ndl_image_format *fmt,
			   ndl_error *err)
{
	size_t max_bytes = lim && lim->max_bytes ? lim->max_bytes
						 : NDL_OCR_MAX_BYTES;
	if (len == 0)
		return ndl_fail(err, NULL, 0, 0, "the photo is empty");
	if (len > max_bytes)
		return ndl_fail(err, NULL, 0, 0,
				"the photo is %zu bytes; photos of up to %zu "
				"bytes are read", len, max_bytes);
	*fmt = ndl_image_sniff(data, len);
	if (*fmt == NDL_IMAGE_UNKNOWN)
		return ndl_fail(err, NULL, 0, 0, "%s",
				ndl_image_is_text(data, len)
					? "this is text, not a photo (PNG, JPEG, "
					  "TIFF or WebP)"
					: "not a photo: the data is not PNG, JPEG, "
					  "TIFF or WebP");
	if (!ndl_image_whole(data, len))
		return ndl_fail(err, NULL, 0, 0,
				"the %s data is cut short or damaged",
				ndl_image_format_name(*fmt));
	size_t scans = *fmt == NDL_IMAGE_JPEG ? ndl_jpeg_scans(data, len) : 0;
	if (scans > NDL_OCR_MAX_JPEG_SCANS)
		return ndl_fail(err, NULL, 0, 0,
				"the JPEG has %zu scans; up to %d are read "
				"(a damaged or hostile file)",
				scans, NDL_OCR_MAX_JPEG_SCANS);
	return 0;
}

#ifndef NDL_HAVE_OCR

int ndl_image_probe(const void *data, size_t len, const ndl_ocr_limits *lim,
		    ndl_image_info *info, ndl_error *err)
{
	memset(info, 0, sizeof(*info));
	if (check_container(data, len, lim, &info->format, err) != 0)
		return -1;
	return ndl_fail(err, NULL, 0, 0,
			"reading photos needs Tesseract and Leptonica (%s, "
			"then rebuild)", INSTALL_HINT);
}

ndl_ocr *ndl_ocr_new(const ndl_ocr_options *opt, ndl_error *err)
{
	(void)opt;
	ndl_fail(err, NULL, 0, 0,
		 "reading photos needs Tesseract and Leptonica (%s, then "
		 "rebuild)", INSTALL_HINT);
	return NULL;
}

void ndl_ocr_free(ndl_ocr *ocr)
{
	(void)ocr;
}

int ndl_ocr_read_until(ndl_ocr *ocr, const void *data, size_t len,
		       const ndl_ocr_limits *lim, ndl_ocr_enough enough,
		       void *arg, ndl_ocr_page *page, ndl_error *err)
{
	(void)ocr;
	(void)enough;
	(void)arg;
	memset(page, 0, sizeof(*page));
	ndl_image_info info;
	return ndl_image_probe(data, len, lim, &info, err);
}

int ndl_image_preview(const void *data, size_t len, unsigned max_side,
		      unsigned char **jpeg, size_t *jpeg_len, ndl_error *err)
{
	(void)max_side;
	*jpeg = NULL;
	*jpeg_len = 0;
	ndl_image_info info;
	return ndl_image_probe(data, len, NULL, &info, err);
}

#else /* NDL_HAVE_OCR */

#include <dlfcn.h>
#include <pthread.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

/* The text height the image is scaled to (the median height of the
 * marks a threshold finds, about the x-height): on the label images of
 * tests/photo 20 pixels reads as well as 24 or 28, and faster; 16 loses
 * turned photos. */
#define TARGET_MARK_PX 20.0
#define MIN_SCALE 0.25
#define MAX_SCALE 4.0
#define SKEW_SWEEP_DEG 12.0f /* photos held by hand: ±7° and perspective */
#define SKEW_MIN_CONF 2.0f  /* Leptonica's 3 misses labels of a few columns */
#define JPEG_HALF_PIXELS 16000000ull
/* An image narrower or lower than this holds no letter a reader could
 * read, and is not given to Tesseract: given one of 6 pixels or less on
 * a side, it keeps a copy of it that is never freed. */
#define MIN_READ_SIDE 8
#define PI 3.14159265358979323846

/* One Tesseract. It loads its language data (a third of a second for
 * three languages) on a thread of its own while the first photo is
 * decoded and prepared; reading waits for it (engine_ready). All load
 * at once: loading the second only once the photo has blocks to share
 * took 1.07 times as long, photo for photo. */
typedef struct engine {
	TessBaseAPI *api;
	const char *langs, *datapath; /* the ndl_ocr's */
	pthread_t loader;
	int loading; /* loader is to be joined */
	int loaded;  /* tried: failed says how it went */
	int failed;  /* the language data could not be loaded (1), or has
			no LSTM model (2) */
} engine;

/* Engines read a photo's blocks at once, one a thread: the first on
 * the caller's. */
struct ndl_ocr {
	char *langs, *datapath;
	engine e[NDL_OCR_MAX_THREADS];
	unsigned nengines;
};

/* The libraries are opened on the first photo, not linked: they and
 * what they load (some sixty libraries) would otherwise cost every run
 * its start-up time and memory. Their sonames come from the build
 * (ocr.mk), as do the Debian packages that hold them, for the message
 * when they are missing. */
#ifndef NDL_TESSERACT_SO
#define NDL_TESSERACT_SO "libtesseract.so.5"
#endif
#ifndef NDL_LEPT_SO
#define NDL_LEPT_SO "liblept.so.5"
#endif
#ifndef NDL_TESSERACT_PACKAGE
#define NDL_TESSERACT_PACKAGE "libtesseract5"
#endif
#ifndef NDL_LEPT_PACKAGE
#define NDL_LEPT_PACKAGE "liblept5"
#endif

#define LEPT_FUNCTIONS(X) \
	X(boxCreate) X(boxDestroy) X(boxGetGeometry) X(boxaDestroy) \
	X(boxaGetBoxGeometry) X(boxaGetCount) X(leptSetStderrHandler) \
	X(numaAddNumber) X(numaCreate) X(numaDestroy) X(numaGetCount) \
	X(numaGetMedian) X(pixAddBorder) X(pixAddBorderGeneral) \
	X(pixAlphaBlendUniform) X(pixBackgroundNormSimple) X(pixClipRectangle) \
	X(pixCloseSafeBrick) X(pixConnComp) X(pixConnCompBB) X(pixConvertTo8) \
	X(pixCreate) X(pixDestroy) X(pixDilateBrick) X(pixExpandBinaryPower2) \
	X(pixFindSkewSweepAndSearch) X(pixFlipLR) X(pixFlipTB) X(pixGetHeight) \
	X(pixGetSpp) X(pixGetWidth) X(pixInvert) X(pixRasterop) X(pixReadHeaderMem) \
	X(pixReadMem) X(pixReadMemJpeg) X(pixReduceRankBinary2) X(pixRotate) \
	X(pixRotate180) X(pixRotate90) X(pixSauvolaBinarizeTiled) X(pixScale) \
	X(pixSetMasked) \
	X(pixThresholdToBinary) X(pixaDestroy) X(pixaGetPix) \
	X(pixWriteMemJpeg) X(lept_free)

#define TESS_FUNCTIONS(X) \
	X(TessBaseAPIClear) X(TessBaseAPICreate) X(TessBaseAPIDelete) \
	X(TessBaseAPIEnd) X(TessBaseAPIGetIterator) X(TessBaseAPIInit2) \
	X(TessBaseAPIOem) X(TessBaseAPIRecognize) X(TessBaseAPISetImage2) \
	X(TessBaseAPISetPageSegMode) X(TessBaseAPISetSourceResolution) \
	X(TessBaseAPISetVariable) X(TessDeleteText) X(TessMonitorCreate) \
	X(TessMonitorDelete) X(TessMonitorSetDeadlineMSecs) \
	X(TessPageIteratorBoundingBox) X(TessPageIteratorIsAtBeginningOf) \
	X(TessResultIteratorConfidence) X(TessResultIteratorDelete) \
	X(TessResultIteratorGetPageIteratorConst) \
	X(TessResultIteratorGetUTF8Text) X(TessResultIteratorNext) X(TessVersion)

/* Each function as a pointer of its declared type, set once by
 * init_once and read-only after. */
#define POINTER_TO(f) __typeof__(f) *f;
static struct { LEPT_FUNCTIONS(POINTER_TO) } lept;
static struct { TESS_FUNCTIONS(POINTER_TO) } tess;
#undef POINTER_TO
static void (*omp_set_max_active_levels_fn)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char engine_name[64];
static char load_error[320]; /* "" once the libraries are loaded */

static void drop_message(const char *msg)
{
	(void)msg;
}

/* Opens the libraries and finds each function; NULL, or why not. */
static const char *load_libraries(void)
{
	void *lib = dlopen(NDL_LEPT_SO, RTLD_NOW | RTLD_LOCAL), *fn;
	if (lib == NULL)
		return dlerror();
#define BIND(table, f) \
	if ((fn = dlsym(lib, #f)) == NULL) \
		return dlerror(); \
	memcpy(&table.f, &fn, sizeof(fn));
#define BIND_LEPT(f) BIND(lept, f)
#define BIND_TESS(f) BIND(tess, f)
	LEPT_FUNCTIONS(BIND_LEPT)
	if ((lib = dlopen(NDL_TESSERACT_SO, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return dlerror();
	TESS_FUNCTIONS(BIND_TESS)
	/* OpenMP's, among the libraries Tesseract loaded (one_thread) */
	if ((fn = dlsym(lib, "omp_set_max_active_levels")) != NULL)
		memcpy(&omp_set_max_active_levels_fn, &fn, sizeof(fn));
	return NULL;
#undef BIND_TESS
#undef BIND_LEPT
#undef BIND
}

/* Leptonica writes its errors to stderr and Tesseract its warnings:
 * the library never prints, the error values say what went wrong. */
static void init_once(void)
{
	const char *why = load_libraries();
	if (why != NULL) {
		snprintf(load_error, sizeof(load_error),
			 "reading photos needs Tesseract and Leptonica (apt-get "
			 "install " NDL_TESSERACT_PACKAGE " " NDL_LEPT_PACKAGE
			 " tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu"
			 "): %s", why);
		return;
	}
	lept.leptSetStderrHandler(drop_message);
	snprintf(engine_name, sizeof(engine_name), "tesseract %s",
		 tess.TessVersion());
}

/* 0 when the libraries are loaded (the first call loads them), else -1
 * with err saying what to install. */
static int loaded(ndl_error *err)
{
	pthread_once(&once, init_once);
	if (load_error[0] != '\0')
		return ndl_fail(err, NULL, 0, 0, "%s", load_error);
	return 0;
}

/* Tesseract as Debian builds it runs its inner loops with OpenMP: on a
 * busy machine the threads spin and wait, and a photo takes three to
 * four times the CPU and more wall time than on one thread (measured
 * on the photos of make eval-photo; Tesseract's own advice is
 * OMP_THREAD_LIMIT=1).
 * No OpenMP region may then start threads: a program that wants more
 * reads photos on threads of its own, an engine each. The setting is
 * each thread's own (OpenMP 5.1): every thread that runs Tesseract
 * makes it. A Tesseract built without OpenMP has no such function. */
static void one_thread(void)
{
	if (omp_set_max_active_levels_fn != NULL)
		omp_set_max_active_levels_fn(0);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int ndl_image_probe(const void *data, size_t len, const ndl_ocr_limits *lim,
		    ndl_image_info *info, ndl_error *err)
{
	memset(info, 0, sizeof(*info));
	if (check_container(data, len, lim, &info->format, err) != 0 ||
	    loaded(err) != 0)
		return -1;
	const char *name = ndl_image_format_name(info->format);
	l_int32 format, w = 0, h = 0, bps, spp, iscmap;
	if (lept.pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp,
				  &iscmap) != 0)
		return ndl_fail(err, NULL, 0, 0,
				"the %s header cannot be read: the file is "
				"damaged or cut short", name);
	if (w <= 0 || h <= 0)
		return ndl_fail(err, NULL, 0, 0, "the %s image has no pixels (%dx%d)",
				name, w, h);
	uint64_t max_pixels = lim && lim->max_pixels ? lim->max_pixels
						     : NDL_OCR_MAX_PIXELS;
	uint64_t pixels = (uint64_t)w * (uint64_t)h;
	if (pixels > max_pixels)
		return ndl_fail(err, NULL, 0, 0,
				"the %s image is %dx%d (%.1f megapixels); photos "
				"of up to %.1f megapixels are read",
				name, w, h, (double)pixels / 1e6,
				(double)max_pixels / 1e6);
	info->width = (unsigned)w;
	info->height = (unsigned)h;
	info->orientation = ndl_image_orientation(data, len);
	return 0;
}

static void *load_engine(void *arg)
{
	engine *e = arg;
	one_thread();
	if (tess.TessBaseAPIInit2(e->api, e->datapath, e->langs,
				  OEM_LSTM_ONLY) != 0) {
		e->failed = 1;
		return NULL;
	}
	/* data without an LSTM model makes Tesseract fall back to its
	 * legacy engine, which the program does not read with (and whose
	 * table of look-alike characters src/cli/lstm_only.c skips) */
	if (tess.TessBaseAPIOem(e->api) != OEM_LSTM_ONLY) {
		e->failed = 2;
		return NULL;
	}
	tess.TessBaseAPISetPageSegMode(e->api, PSM_AUTO);
	/* Tesseract reads the gray pixels (its LSTM sees the letters' edges
	 * that a threshold loses: "l" read "!", "]" or "i" on binary
	 * images); it thresholds them itself only to find the lines, and
	 * as ours, adaptively (2: Sauvola): Otsu's one level loses lines
	 * under uneven light. */
	tess.TessBaseAPISetVariable(e->api, "thresholding_method", "2");
	return NULL;
}

/* Waits for the engine's loader, if it has one. */
static void engine_join(engine *e)
{
	if (e->loading) {
		pthread_join(e->loader, NULL);
		e->loading = 0;
		e->loaded = 1;
	}
}

/* 0 once the engine is loaded (here, when nothing loads it), -1 with
 * err when it cannot be. Called by one thread at a time for an engine. */
static int engine_ready(engine *e, ndl_error *err)
{
	engine_join(e);
	if (!e->loaded) {
		load_engine(e);
		e->loaded = 1;
	}
	if (e->failed == 2)
		return ndl_fail(err, e->datapath, 0, 0,
				"the language data %s has no LSTM model, which "
				"Tesseract 4 and later read with (%s)",
				e->langs, INSTALL_HINT);
	if (e->failed)
		return ndl_fail(err, e->datapath, 0, 0,
				"Tesseract cannot load the language data %s (%s)",
				e->langs, INSTALL_HINT);
	return 0;
}

ndl_ocr *ndl_ocr_new(const ndl_ocr_options *opt, ndl_error *err)
{
	if (loaded(err) != 0)
		return NULL;
	const char *langs = opt && opt->languages ? opt->languages
						  : NDL_OCR_LANGUAGES;
	const char *datapath = opt ? opt->datapath : NULL;
	unsigned threads = opt && opt->threads ? opt->threads : 1;
	ndl_ocr *ocr = calloc(1, sizeof(*ocr));
	if (ocr == NULL || (ocr->langs = strdup(langs)) == NULL ||
	    (datapath && (ocr->datapath = strdup(datapath)) == NULL)) {
		ndl_ocr_free(ocr);
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	for (unsigned i = 0; i < threads && i < NDL_OCR_MAX_THREADS; i++) {
		engine *e = &ocr->e[i];
		e->langs = ocr->langs;
		e->datapath = ocr->datapath;
		if ((e->api = tess.TessBaseAPICreate()) == NULL)
			break;
		ocr->nengines++;
	}
	if (ocr->nengines == 0) {
		ndl_ocr_free(ocr);
		ndl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	/* a global parameter, set before any engine loads: Tesseract's
	 * messages, also those of Init */
	tess.TessBaseAPISetVariable(ocr->e[0].api, "debug_file", "/dev/null");
	for (unsigned i = 0; i < ocr->nengines; i++) {
		engine *e = &ocr->e[i];
		e->loading = pthread_create(&e->loader, NULL, load_engine, e) == 0;
	}
	return ocr;
}

void ndl_ocr_free(ndl_ocr *ocr)
{
	if (ocr == NULL)
		return;
	for (unsigned i = 0; i < ocr->nengines; i++) {
		engine_join(&ocr->e[i]);
		tess.TessBaseAPIEnd(ocr->e[i].api);
		tess.TessBaseAPIDelete(ocr->e[i].api);
	}
	free(ocr->langs);
	free(ocr->datapath);
	free(ocr);
}

/* ------------------------------------------------------------ decoding */

/* The photo as 8-bit gray, upright. JPEGs of many megapixels are
 * decoded at half size (libjpeg scales the DCT: half the memory and
 * time); *reduction says so. */
static PIX *decode_gray(const void *data, size_t len,
			const ndl_image_info *info, int *reduction)
{
	PIX *pix;
	*reduction = 1;
	if (info->format == NDL_IMAGE_JPEG) {
		if ((uint64_t)info->width * info->height > JPEG_HALF_PIXELS)
			*reduction = 2;
		/* luminance only; damaged data fails (Leptonica's default) */
		pix = lept.pixReadMemJpeg(data, len, 0, *reduction, NULL,
				     L_JPEG_READ_LUMINANCE);
	} else {
		pix = lept.pixReadMem(data, len);
	}
	if (pix == NULL)
		return NULL;
	unsigned want_w = (info->width + (unsigned)*reduction - 1) / (unsigned)*reduction;
	unsigned want_h = (info->height + (unsigned)*reduction - 1) / (unsigned)*reduction;
	if ((unsigned)lept.pixGetWidth(pix) != want_w ||
	    (unsigned)lept.pixGetHeight(pix) != want_h) {
		lept.pixDestroy(&pix); /* not the image the header declared */
		return NULL;
	}
	PIX *flat = pix;
	if (lept.pixGetSpp(pix) == 4) /* transparency: on white, as a viewer shows */
		flat = lept.pixAlphaBlendUniform(pix, 0xffffff00);
	PIX *gray = flat ? lept.pixConvertTo8(flat, 0) : NULL;
	if (flat != pix)
		lept.pixDestroy(&flat);
	lept.pixDestroy(&pix);
	if (gray == NULL)
		return NULL;
	PIX *up = NULL;
	switch (info->orientation) {
	case 2: up = lept.pixFlipLR(NULL, gray); break;
	case 3: up = lept.pixRotate180(NULL, gray); break;
	case 4: up = lept.pixFlipTB(NULL, gray); break;
	case 5: /* transpose: a quarter turn clockwise, then a mirror */
	case 7: /* transverse: a quarter turn clockwise, then upside down */
		up = lept.pixRotate90(gray, 1);
		if (up && info->orientation == 5)
			lept.pixFlipLR(up, up);
		else if (up)
			lept.pixFlipTB(up, up);
		break;
	case 6: up = lept.pixRotate90(gray, 1); break;
	case 8: up = lept.pixRotate90(gray, -1); break;
	default: return gray;
	}
	lept.pixDestroy(&gray);
	return up;
}

/* --------------------------------------------------------- preparation */

/* Sauvola's adaptive threshold: each pixel against the mean and spread
 * of a window about twice the size of the marks, so shadows and uneven
 * light leave the letters. Tiles of about a megapixel keep Leptonica's
 * sums small (their accumulators overflow past 16 megapixels). */
static PIX *threshold(PIX *gray, int mark_px)
{
	int w = lept.pixGetWidth(gray), h = lept.pixGetHeight(gray);
	int whsize = mark_px < 7 ? 7 : mark_px > 40 ? 40 : mark_px;
	int fit = ((w < h ? w : h) - 3) / 2;
	if (fit < 2) /* a few pixels: no window fits */
		return lept.pixThresholdToBinary(gray, 128);
	if (whsize > fit)
		whsize = fit;
	PIX *bin = NULL;
	if (lept.pixSauvolaBinarizeTiled(gray, whsize, 0.34f, w / 1000 + 1,
				    h / 1000 + 1, NULL, &bin) != 0)
		return NULL;
	return bin;
}

/* The median height of the marks of a thresholded image that could be
 * letters, or 0 when there are too few to say. */
static int median_mark(PIX *bin)
{
	BOXA *boxes = lept.pixConnCompBB(bin, 8);
	if (boxes == NULL)
		return 0;
	int h = lept.pixGetHeight(bin), n = lept.boxaGetCount(boxes);
	NUMA *heights = lept.numaCreate(n > 0 ? n : 1);
	for (int i = 0; heights && i < n; i++) {
		l_int32 bx, by, bw, bh;
		lept.boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh);
		/* not specks, rules, frames or pictures */
		if (bh >= 4 && bh <= h / 4 && bw <= 3 * bh)
			lept.numaAddNumber(heights, (l_float32)bh);
	}
	l_float32 median = 0;
	if (heights && lept.numaGetCount(heights) >= 20)
		lept.numaGetMedian(heights, &median);
	lept.numaDestroy(&heights);
	lept.boxaDestroy(&boxes);
	return (int)median;
}

/* The geometry from the photo (upright) to the image Tesseract reads:
 * scaled, embedded in a white margin, turned by the skew. */
typedef struct geometry {
	double scale;        /* work pixels per photo pixel */
	double angle;        /* radians, clockwise */
	double border_x, border_y;
	double cx, cy;       /* centre of the turn */
	int photo_w, photo_h;
	int mark;            /* the marks' height in work pixels */
} geometry;

/* A box of the work image back on the photo: its corners turned back,
 * unscaled, clamped to the photo. */
static ndl_ocr_box to_photo(const geometry *g, int l, int t, int r, int b)
{
	double xs[4] = {l, r, r, l}, ys[4] = {t, t, b, b};
	double c = cos(-g->angle), s = sin(-g->angle);
	double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
	for (int i = 0; i < 4; i++) {
		double dx = xs[i] - g->cx, dy = ys[i] - g->cy;
		double x = (g->cx + dx * c - dy * s - g->border_x) / g->scale;
		double y = (g->cy + dx * s + dy * c - g->border_y) / g->scale;
		x0 = fmin(x0, x); y0 = fmin(y0, y);
		x1 = fmax(x1, x); y1 = fmax(y1, y);
	}
	/* a box past the photo's edge (its margin) shrinks to that edge */
	x0 = fmin(g->photo_w, fmax(0, floor(x0)));
	y0 = fmin(g->photo_h, fmax(0, floor(y0)));
	x1 = fmin(g->photo_w, ceil(x1)); y1 = fmin(g->photo_h, ceil(y1));
	ndl_ocr_box box = {(int)x0, (int)y0, (int)fmax(0, x1 - x0),
			   (int)fmax(0, y1 - y0)};
	return box;
}

/* The skew of the text of bin in degrees: 1 when it is found and worth
 * turning. */
static int skew_of(PIX *bin, l_float32 *angle)
{
	l_float32 conf = 0;
	*angle = 0;
	return bin && lept.pixFindSkewSweepAndSearch(bin, angle, &conf, 4, 2,
						    SKEW_SWEEP_DEG, 1.0f,
						    0.01f) == 0 &&
	       conf >= SKEW_MIN_CONF && fabsf(*angle) >= 0.1f;
}

/* Scales gray so its marks are about TARGET_MARK_PX high (at most
 * NDL_OCR_WORK_PIXELS), turns it back by its skew and thresholds it.
 * Returns the binary image, which finds the text, and fills g and *look:
 * the gray image as scaled and turned, its light evened, which Tesseract
 * reads (gray itself when there was nothing to do). NULL when out of
 * memory. */
static PIX *prepare(PIX *gray, geometry *g, PIX **look)
{
	int w = lept.pixGetWidth(gray), h = lept.pixGetHeight(gray);
	PIX *bin = threshold(gray, 15);
	int mark = bin ? median_mark(bin) : 0;
	double scale = mark > 0 ? TARGET_MARK_PX / mark : 1.0;
	scale = fmin(MAX_SCALE, fmax(MIN_SCALE, scale));
	double room = sqrt((double)NDL_OCR_WORK_PIXELS / ((double)w * h));
	if (scale > room)
		scale = room;
	if (scale > 0.8 && scale < 1.25) /* near enough: no resampling */
		scale = 1.0;
	/* The skew is the same at any scale: found on the threshold that
	 * measured the marks when the image is not scaled up, so only the
	 * image turned is thresholded again; marks too small to find it
	 * on are found on the image scaled up. */
	l_float32 angle = 0;
	int turn = scale <= 1.0 && skew_of(bin, &angle);
	lept.pixDestroy(&bin);
	PIX *work = scale == 1.0 ? gray
				 : lept.pixScale(gray, (l_float32)scale,
						 (l_float32)scale);
	if (work && scale > 1.0) {
		bin = threshold(work, (int)TARGET_MARK_PX);
		turn = skew_of(bin, &angle);
	}
	g->scale = work ? (double)lept.pixGetWidth(work) / w : 1.0;
	g->mark = mark > 0 ? (int)(mark * g->scale + 0.5) : (int)TARGET_MARK_PX;
	g->photo_w = w;
	g->photo_h = h;
	g->angle = g->border_x = g->border_y = 0;
	g->cx = g->cy = 0;
	if (work && turn) {
		/* a margin so no corner is cut, then the turn, then the
		 * threshold on the turned gray image */
		int ww = lept.pixGetWidth(work), wh = lept.pixGetHeight(work);
		double rad = angle * PI / 180.0;
		int bx = (int)ceil((fabs(cos(rad)) * ww + fabs(sin(rad)) * wh - ww) / 2) + 2;
		int by = (int)ceil((fabs(sin(rad)) * ww + fabs(cos(rad)) * wh - wh) / 2) + 2;
		PIX *framed = lept.pixAddBorderGeneral(work, bx, bx, by, by, 255);
		PIX *turned = framed ? lept.pixRotate(framed, (l_float32)rad,
						 L_ROTATE_AREA_MAP,
						 L_BRING_IN_WHITE, 0, 0) : NULL;
		lept.pixDestroy(&framed);
		if (turned) {
			lept.pixDestroy(&bin);
			g->angle = rad;
			g->border_x = bx;
			g->border_y = by;
			g->cx = lept.pixGetWidth(turned) / 2.0;
			g->cy = lept.pixGetHeight(turned) / 2.0;
			if (work != gray)
				lept.pixDestroy(&work);
			work = turned;
		}
	}
	if (work && bin == NULL)
		bin = threshold(work, (int)TARGET_MARK_PX);
	/* what Tesseract reads: the gray with its light made even (the
	 * letters in a shadow otherwise fade into it, and are lost) */
	if (bin) {
		PIX *even = lept.pixBackgroundNormSimple(work, NULL, NULL);
		if (even) {
			if (work != gray)
				lept.pixDestroy(&work);
			work = even;
		}
	}
	if (bin == NULL && work != gray)
		lept.pixDestroy(&work);
	*look = bin ? work : NULL;
	return bin;
}

/* ------------------------------------------------------------- reading */

typedef struct page_builder {
	ndl_buf text;
	ndl_ocr_word *words;
	size_t nwords, cap;
	double conf_sum, conf_weight;
	const char *first_sep; /* what would go before its first word */
	int oom;
} page_builder;

static void add_word(page_builder *pb, const char *sep, const char *word,
		     size_t len, float conf, ndl_ocr_box box)
{
	if (pb->nwords)
		ndl_buf_puts(&pb->text, sep);
	else
		pb->first_sep = sep;
	if (NDL_GROW(pb->words, pb->cap, pb->nwords + 1) != 0) {
		pb->oom = 1;
		return;
	}
	ndl_ocr_word *w = &pb->words[pb->nwords++];
	w->offset = pb->text.len;
	w->len = len;
	w->box = box;
	w->confidence = conf;
	ndl_buf_append(&pb->text, word, len);
	double letters = (double)ndl_utf8_count(word, len);
	pb->conf_sum += conf * letters;
	pb->conf_weight += letters;
}

/* Appends the words of part (a block read alone) to pb, as if they had
 * been read into it. */
static void add_words(page_builder *pb, const page_builder *part)
{
	if (part->oom || part->text.failed)
		pb->oom = 1;
	for (size_t i = 0; i < part->nwords && !pb->oom; i++) {
		const ndl_ocr_word *w = &part->words[i];
		char sep[3] = "";
		if (i == 0)
			snprintf(sep, sizeof(sep), "%s", part->first_sep);
		else /* a space, a line break or a blank line */
			snprintf(sep, sizeof(sep), "%.*s",
				 (int)(w->offset - (w[-1].offset + w[-1].len)),
				 part->text.data + w[-1].offset + w[-1].len);
		add_word(pb, sep, part->text.data + w->offset, w->len,
			 w->confidence, w->box);
	}
}

static void page_builder_free(page_builder *pb)
{
	free(pb->words);
	ndl_buf_free(&pb->text);
}

/* The words Tesseract recognised in an image placed at (ox, oy) of the
 * work image, in reading order, into pb. */
static void collect(TessBaseAPI *api, const geometry *g, int ox, int oy,
		    page_builder *pb)
{
	TessResultIterator *it = tess.TessBaseAPIGetIterator(api);
	if (it == NULL)
		return;
	const TessPageIterator *pit = tess.TessResultIteratorGetPageIteratorConst(it);
	static const char *const seps[] = {" ", "\n", "\n\n"};
	int brk = 0; /* the widest break since the last word: seps[brk] */
	do {
		if (tess.TessPageIteratorIsAtBeginningOf(pit, RIL_PARA))
			brk = 2;
		else if (tess.TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE) && brk < 1)
			brk = 1;
		char *word = tess.TessResultIteratorGetUTF8Text(it, RIL_WORD);
		/* Tesseract may give a "word" of spaces alone: not a word */
		if (word != NULL && word[strspn(word, " \t\r\n")] != '\0') {
			int l, t, r, b;
			tess.TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &r, &b);
			add_word(pb, seps[brk], word, strlen(word),
				 tess.TessResultIteratorConfidence(it, RIL_WORD),
				 to_photo(g, l + ox, t + oy, r + ox, b + oy));
			brk = 0;
		}
		tess.TessDeleteText(word);
	} while (!pb->oom && tess.TessResultIteratorNext(it, RIL_WORD));
	tess.TessResultIteratorDelete(it);
}

/* -------------------------------------------------------------- blocks */

/* Tesseract's own page layout joins the lines of neighbouring columns
 * once a photo is taken at an angle or the text is turned back: the
 * gutters then slant and narrow. So the page is cut into blocks first,
 * by their shapes: closing the gaps narrower than a mark joins letters
 * into words, words into lines and lines into paragraphs, while a
 * gutter (wider than a mark) or a blank line keeps them apart, slanted
 * or not. Each block is then read alone, in reading order (tried on
 * the photos of make eval-photo: a block mask from Leptonica's page
 * segmenter, made for 150-200 ppi scans, joined columns or split
 * paragraphs depending on the scale). */
#define MAX_BLOCKS 128

typedef struct block {
	l_int32 x, y, w, h; /* on the half-size image */
	PIX *mask;          /* its pixels there */
} block;

/* Do a and b share a column: their widths overlapping by a third of the
 * narrower (slanted columns overlap their neighbours a little)? */
static int x_overlap(const block *a, const block *b)
{
	l_int32 lo = a->x > b->x ? a->x : b->x;
	l_int32 hi = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
	l_int32 narrow = a->w < b->w ? a->w : b->w;
	return 3 * (hi - lo) > narrow;
}

/* Does a come before b? Above it in the same column; or left of it,
 * unless a block between them in height spans both (a heading across
 * the columns ends a row of them). Breuel's order for page layouts. */
static int before(const block *v, int n, int a, int b)
{
	const block *A = &v[a], *B = &v[b];
	double ya = A->y + A->h / 2.0, yb = B->y + B->h / 2.0;
	if (x_overlap(A, B))
		return ya < yb;
	if (A->x + A->w / 2 > B->x + B->w / 2)
		return 0;
	for (int c = 0; c < n; c++) {
		double yc = v[c].y + v[c].h / 2.0;
		if (c != a && c != b && x_overlap(&v[c], A) && x_overlap(&v[c], B) &&
		    yc > fmin(ya, yb) && yc < fmax(ya, yb))
			return 0;
	}
	return 1;
}

/* Sorts v into reading order (a topological sort of before(); the
 * highest first among the blocks free to go). */
static void reading_order(block *v, int n)
{
	unsigned char *after = calloc((size_t)n * (size_t)n, 1);
	block *out = malloc((size_t)n * sizeof(*out));
	int *done = calloc((size_t)n, sizeof(*done));
	if (after == NULL || out == NULL || done == NULL)
		goto out; /* keep the order found */
	for (int a = 0; a < n; a++)
		for (int b = 0; b < n; b++)
			after[b * n + a] = a != b && before(v, n, a, b);
	for (int k = 0; k < n; k++) {
		int pick = -1, free_pick = -1;
		for (int b = 0; b < n; b++) {
			if (done[b])
				continue;
			int blocked = 0;
			for (int a = 0; a < n && !blocked; a++)
				blocked = !done[a] && after[b * n + a];
			if (pick < 0 || v[b].y < v[pick].y)
				pick = b; /* a cycle: the highest */
			if (!blocked && (free_pick < 0 || v[b].y < v[free_pick].y))
				free_pick = b;
		}
		if (free_pick >= 0)
			pick = free_pick;
		done[pick] = 1;
		out[k] = v[pick];
	}
	memcpy(v, out, (size_t)n * sizeof(*out));
out:
	free(after);
	free(out);
	free(done);
}

/* The text blocks of bin (its marks mark pixels high), in reading order,
 * found on bin at half size; 0 when there are none or too many (the
 * whole page is then left to Tesseract). */
static int text_blocks(PIX *bin, int mark, block *v)
{
	PIX *half = lept.pixReduceRankBinary2(bin, 1, NULL);
	int across = (mark / 2) | 1, down = (int)(mark * 0.45) | 1;
	PIX *joined = half ? lept.pixCloseSafeBrick(NULL, half, across, down) : NULL;
	PIXA *masks = NULL;
	BOXA *boxes = joined ? lept.pixConnComp(joined, &masks, 8) : NULL;
	int count = boxes ? lept.boxaGetCount(boxes) : 0, n = 0, whole = 0;
	for (int i = 0; i < count; i++) {
		block b;
		lept.boxaGetBoxGeometry(boxes, i, &b.x, &b.y, &b.w, &b.h);
		if (4 * b.w < mark || 4 * b.h < mark) /* a speck */
			continue;
		if (n == MAX_BLOCKS ||
		    (b.mask = lept.pixaGetPix(masks, i, L_CLONE)) == NULL) {
			whole = 1;
			break;
		}
		v[n++] = b;
	}
	if (whole) {
		for (int i = 0; i < n; i++)
			lept.pixDestroy(&v[i].mask);
		n = 0;
	}
	if (n > 1)
		reading_order(v, n);
	lept.boxaDestroy(&boxes);
	lept.pixaDestroy(&masks);
	lept.pixDestroy(&joined);
	lept.pixDestroy(&half);
	return n;
}

/* The pixels of look (the gray work image) in block b, with a margin
 * around its mask so letters at its edge are whole, the rest white, and
 * a white border for Tesseract; *ox, *oy: where its top left lies in the
 * work image. */
static PIX *block_pixels(PIX *look, const block *b, int margin, int *ox, int *oy)
{
	PIX *full = lept.pixExpandBinaryPower2(b->mask, 2);
	PIX *framed = full ? lept.pixAddBorder(full, margin, 0) : NULL;
	PIX *grown = framed ? lept.pixDilateBrick(NULL, framed, 2 * margin + 1,
					     2 * margin + 1) : NULL;
	lept.pixDestroy(&full);
	lept.pixDestroy(&framed);
	if (grown == NULL)
		return NULL;
	l_int32 bx = 2 * b->x - margin, by = 2 * b->y - margin;
	BOX *want = lept.boxCreate(bx, by, lept.pixGetWidth(grown),
				   lept.pixGetHeight(grown));
	BOX *got = NULL;
	PIX *crop = want ? lept.pixClipRectangle(look, want, &got) : NULL;
	PIX *out = NULL;
	l_int32 cx, cy, cw, ch;
	if (crop && got && lept.boxGetGeometry(got, &cx, &cy, &cw, &ch) == 0) {
		/* outside the block: white */
		PIX *m = lept.pixCreate(cw, ch, 1);
		if (m && lept.pixRasterop(m, 0, 0, cw, ch, PIX_SRC, grown, cx - bx,
				     cy - by) == 0 && lept.pixInvert(m, m) &&
		    lept.pixSetMasked(crop, m, 0xff) == 0) {
			out = lept.pixAddBorder(crop, margin, 0xff);
			*ox = cx - margin;
			*oy = cy - margin;
		}
		lept.pixDestroy(&m);
	}
	lept.boxDestroy(&want);
	lept.boxDestroy(&got);
	lept.pixDestroy(&crop);
	lept.pixDestroy(&grown);
	return out;
}

/* Recognises pix, placed at (ox, oy) of the work image, into pb. Within
 * a block too Tesseract segments the page itself: a block holding two
 * columns still reads as two. 0 (with no word when pix is too small to
 * hold one), or -1 when Tesseract fails or the deadline passes. */
static int recognise(engine *e, PIX *pix, int ox, int oy,
		     const geometry *g, double deadline, page_builder *pb)
{
	if (lept.pixGetWidth(pix) < MIN_READ_SIDE ||
	    lept.pixGetHeight(pix) < MIN_READ_SIDE)
		return 0; /* nothing to read */
	double left = deadline - now_ms();
	ETEXT_DESC *monitor = left > 0 ? tess.TessMonitorCreate() : NULL;
	if (monitor == NULL)
		return -1;
	tess.TessMonitorSetDeadlineMSecs(monitor, left > 1 ? (int)left : 1);
	tess.TessBaseAPISetImage2(e->api, pix);
	tess.TessBaseAPISetSourceResolution(e->api, 300);
	int rc = tess.TessBaseAPIRecognize(e->api, monitor);
	tess.TessMonitorDelete(monitor);
	if (rc == 0 && now_ms() <= deadline)
		collect(e->api, g, ox, oy, pb);
	tess.TessBaseAPIClear(e->api);
	return rc == 0 && now_ms() <= deadline ? 0 : -1;
}

/* What ends reading early: enough(arg, text so far) after each block. */
typedef struct stop_rule {
	ndl_ocr_enough enough;
	void *arg;
} stop_rule;

enum { B_WAITING, B_READ, B_FAILED }; /* a block: not read yet, read, failed */

/* The blocks of one photo, read by one engine a thread: each takes the
 * next block not taken, reads it alone, and the words of the blocks
 * read are added to the page in reading order, as far as they are all
 * read, the stop rule asked after each. Once it says enough, no block
 * more is taken (the one another engine is reading then is read for
 * nothing: at most one block). */
typedef struct reading {
	PIX *look;
	block *v;
	int n, margin;
	const geometry *g;
	double deadline;
	const stop_rule *stop;
	page_builder *pb, *parts; /* the page; each block's words */
	unsigned char *state;     /* B_* of each block */
	int next, added, enough, rc;
	pthread_mutex_t mu;
} reading;

/* Adds the blocks read, in order, to the page (r->mu held). */
static void add_blocks(reading *r)
{
	while (r->added < r->n && !r->enough && r->rc == 0 &&
	       r->state[r->added] >= B_READ) {
		int i = r->added++;
		if (r->state[i] == B_FAILED) {
			r->rc = -1;
			break;
		}
		add_words(r->pb, &r->parts[i]);
		if (r->stop->enough && !r->pb->oom && !r->pb->text.failed)
			r->enough = r->stop->enough(r->stop->arg, r->pb->text.data,
						    r->pb->text.len);
	}
}

static void read_blocks(reading *r, engine *e)
{
	for (;;) {
		pthread_mutex_lock(&r->mu);
		int i = r->enough || r->rc != 0 || r->next >= r->n ? -1 : r->next++;
		pthread_mutex_unlock(&r->mu);
		if (i < 0)
			return;
		int ox = 0, oy = 0;
		PIX *pix = block_pixels(r->look, &r->v[i], r->margin, &ox, &oy);
		int rc = pix ? recognise(e, pix, ox, oy, r->g, r->deadline,
					 &r->parts[i]) : -1;
		lept.pixDestroy(&pix);
		pthread_mutex_lock(&r->mu);
		r->state[i] = rc == 0 ? B_READ : B_FAILED;
		add_blocks(r);
		pthread_mutex_unlock(&r->mu);
	}
}

typedef struct helper {
	reading *r;
	engine *e;
} helper;

static void *helper_main(void *arg)
{
	helper *h = arg;
	one_thread();
	/* an engine that could not load leaves the blocks to the others */
	if (engine_ready(h->e, NULL) == 0)
		read_blocks(h->r, h->e);
	return NULL;
}

/* Reads the work image: block by block (found on bin, read on look) in
 * reading order until stop says it is enough, or whole when no block
 * is found. The engines after the first read blocks too, each on a
 * thread. */
static int read_work(ndl_ocr *ocr, PIX *bin, PIX *look, int mark,
		     const geometry *g, double deadline, const stop_rule *stop,
		     page_builder *pb)
{
	block v[MAX_BLOCKS];
	int n = text_blocks(bin, mark, v);
	one_thread();
	if (n == 0)
		return recognise(&ocr->e[0], look, 0, 0, g, deadline, pb);
	reading r = {look, v, n, mark / 2 + 1, g, deadline, stop, pb,
		     calloc((size_t)n, sizeof(page_builder)),
		     calloc((size_t)n, 1), 0, 0, 0, 0,
		     PTHREAD_MUTEX_INITIALIZER};
	if (r.parts == NULL || r.state == NULL) {
		r.rc = -1;
		pb->oom = 1;
	}
	helper h[NDL_OCR_MAX_THREADS];
	pthread_t t[NDL_OCR_MAX_THREADS];
	unsigned started = 0;
	for (unsigned k = 1; r.rc == 0 && k < ocr->nengines && (int)k < n; k++) {
		h[started] = (helper){&r, &ocr->e[k]};
		if (pthread_create(&t[started], NULL, helper_main, &h[started]) != 0)
			break;
		started++;
	}
	if (r.rc == 0)
		read_blocks(&r, &ocr->e[0]);
	for (unsigned k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	pthread_mutex_destroy(&r.mu);
	for (int i = 0; i < n; i++) {
		if (r.parts)
			page_builder_free(&r.parts[i]);
		lept.pixDestroy(&v[i].mask);
	}
	free(r.parts);
	free(r.state);
	return r.rc;
}

int ndl_ocr_read_until(ndl_ocr *ocr, const void *data, size_t len,
		       const ndl_ocr_limits *lim, ndl_ocr_enough enough,
		       void *arg, ndl_ocr_page *page, ndl_error *err)
{
	double start = now_ms();
	memset(page, 0, sizeof(*page));
	ndl_image_info info;
	if (ndl_image_probe(data, len, lim, &info, err) != 0)
		return -1;
	int reduction;
	PIX *gray = decode_gray(data, len, &info, &reduction);
	if (gray == NULL)
		return ndl_fail(err, NULL, 0, 0,
				"the %s data cannot be decoded: the file is "
				"damaged or cut short",
				ndl_image_format_name(info.format));
	geometry g;
	PIX *look = NULL, *bin = prepare(gray, &g, &look);
	if (bin == NULL) {
		lept.pixDestroy(&gray);
		return ndl_fail(err, NULL, 0, 0, "out of memory");
	}
	/* back from the decoded size to the photo's */
	g.scale /= reduction;
	int turned = info.orientation >= 5;
	g.photo_w = (int)(turned ? info.height : info.width);
	g.photo_h = (int)(turned ? info.width : info.height);

	unsigned max_ms = lim && lim->max_ms ? lim->max_ms : NDL_OCR_MAX_MS;
	page_builder pb = {0};
	stop_rule stop = {enough, arg};
	if (engine_ready(&ocr->e[0], err) != 0) {
		lept.pixDestroy(&bin);
		if (look != gray)
			lept.pixDestroy(&look);
		lept.pixDestroy(&gray);
		return -1;
	}
	int rc = read_work(ocr, bin, look, g.mark, &g, start + max_ms, &stop, &pb);
	lept.pixDestroy(&bin);
	if (look != gray)
		lept.pixDestroy(&look);
	lept.pixDestroy(&gray);
	if (rc != 0 || pb.oom || pb.text.failed || ndl_buf_cstr(&pb.text) == NULL) {
		free(pb.words);
		ndl_buf_free(&pb.text);
		if (now_ms() - start > max_ms)
			return ndl_fail(err, NULL, 0, 0,
					"reading the photo took longer than "
					"%.1f s: stopped", max_ms / 1000.0);
		return ndl_fail(err, NULL, 0, 0, rc != 0 ? "Tesseract could not "
				"read the image" : "out of memory");
	}
	page->text = pb.text.data;
	page->len = pb.text.len;
	page->words = pb.words;
	page->nwords = pb.nwords;
	page->confidence = pb.conf_weight > 0 ? pb.conf_sum / pb.conf_weight : 0;
	page->width = (unsigned)g.photo_w;
	page->height = (unsigned)g.photo_h;
	page->format = info.format;
	page->orientation = info.orientation;
	page->skew = g.angle * 180.0 / PI;
	page->scale = g.scale;
	page->engine = engine_name;
	return 0;
}

int ndl_image_preview(const void *data, size_t len, unsigned max_side,
		      unsigned char **jpeg, size_t *jpeg_len, ndl_error *err)
{
	*jpeg = NULL;
	*jpeg_len = 0;
	ndl_image_info info;
	if (ndl_image_probe(data, len, NULL, &info, err) != 0)
		return -1;
	int reduction;
	PIX *gray = decode_gray(data, len, &info, &reduction);
	if (gray == NULL)
		return ndl_fail(err, NULL, 0, 0, "the %s data cannot be decoded",
				ndl_image_format_name(info.format));
	int w = lept.pixGetWidth(gray), h = lept.pixGetHeight(gray);
	double side = w > h ? w : h;
	PIX *small = gray;
	if (side > max_side) {
		float s = (float)(max_side / side);
		small = lept.pixScale(gray, s, s);
	}
	l_uint8 *bytes = NULL;
	size_t n = 0;
	if (small != NULL && lept.pixWriteMemJpeg(&bytes, &n, small, 80, 0) == 0 &&
	    (*jpeg = malloc(n)) != NULL) {
		memcpy(*jpeg, bytes, n);
		*jpeg_len = n;
	}
	lept.lept_free(bytes);
	if (small != gray)
		lept.pixDestroy(&small);
	lept.pixDestroy(&gray);
	return *jpeg ? 0 : ndl_fail(err, NULL, 0, 0, "out of memory");
}

#endif /* NDL_HAVE_OCR */

int ndl_ocr_read(ndl_ocr *ocr, const void *data, size_t len,
		 const ndl_ocr_limits *lim, ndl_ocr_page *page, ndl_error *err)
{
	return ndl_ocr_read_until(ocr, data, len, lim, NULL, NULL, page, err);
}
