# needlecheck — make, make check, make demo, make install (the program,
# its manual pages and bash completion, the library and needlecheck.pc),
# make clean, make screenshots, make serve-bench.
# CC, CFLAGS, LDFLAGS, PROGRAM_LIBS, PREFIX and DESTDIR are honoured.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
VERSION = $(shell sed -n 's/^\#define NDL_VERSION "\(.*\)"/\1/p' include/needlecheck.h)
SOMAJOR = 0
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla \
       -Wcast-qual -Wwrite-strings
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc $(CPPFLAGS)
LIBS = -lpcre2-8 -lcsv -lutf8proc -lm -lpthread
# The program takes the three small libraries into itself: loading them
# shared cost a pasted list's start-up 16 of its 124 page faults and 7 %
# of its instructions (mapping, relocating, looking up symbols). To link
# them shared, as a distribution does so that their updates reach the
# program: make PROGRAM_LIBS='$(LIBS)'.
PROGRAM_LIBS = -Wl,-Bstatic -lpcre2-8 -lcsv -lutf8proc -Wl,-Bdynamic -lm -lpthread

# src/ by layer, each on those below it (tests/layers.sh checks it): the
# library is every layer but the program's (src/cli).
B = build
LAYERS = base knowledge core input apps render
LIB_SRC = $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJ = $(LIB_SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/lexicon_data.o \
	$(B)/obj/lexicon_built.o $(B)/obj/near_built.o $(B)/obj/gates_built.o
CLI_SRC = $(wildcard src/cli/*.c)
CLI_OBJ = $(CLI_SRC:src/%.c=$(B)/obj/%.o)
HEADERS = $(wildcard include/*.h src/*/*.h)
LEXICON = $(sort $(wildcard lexicon/*.txt lexicon/*.tsv))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

# Debian packages: what is missing gets installed when run as root.
DEPS_BUILD = gcc libc6-dev libpcre2-dev libcsv-dev libutf8proc-dev
DEPS_TEST = libcmocka-dev python3

.PHONY: all check demo install uninstall clean deps deps-test unit golden cli lexicon-test \
	layers bench asan ubsan valgrind fuzz plan-test browser-test screenshots install-test FORCE
.DELETE_ON_ERROR:

all: $(B)/needlecheck

# ---------------------------------------------------------------- deps
# Each needed header or tool is probed; the packages holding the missing
# ones are installed with apt-get when we are root, else the exact command
# is printed and make stops.
define install_missing
	@missing=""; \
	for probe in $(1); do \
	  pkg=$${probe%%:*}; what=$${probe#*:}; \
	  case "$$what" in \
	    *.h) printf '#include <stdarg.h>\n#include <stddef.h>\n#include <setjmp.h>\n#include <stdint.h>\n#include <%s>\n' "$$what" | $(CC) -DPCRE2_CODE_UNIT_WIDTH=8 -E -x c - >/dev/null 2>&1 || missing="$$missing $$pkg";; \
	    /*) [ -e "$$what" ] || missing="$$missing $$pkg";; \
	    *) command -v "$$what" >/dev/null 2>&1 || missing="$$missing $$pkg";; \
	  esac; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "needlecheck needs these Debian packages:$$missing"; \
	    echo "run as root:  apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

$(B)/deps.ok:
	@mkdir -p $(B)
	$(call install_missing,gcc:$(CC) libc6-dev:stdio.h libpcre2-dev:pcre2.h libcsv-dev:csv.h libutf8proc-dev:utf8proc.h)
	@touch $@

$(B)/deps-test.ok: $(B)/deps.ok $(B)/deps-serve.ok
	$(call install_missing,libcmocka-dev:cmocka.h python3:python3)
	@touch $@

# needlecheck serve needs libmicrohttpd: installed with the rest when we
# are root; without it the program builds and 'serve' says what it needs.
MHD_PROBE = printf '\#include <stdarg.h>\n\#include <stdint.h>\n\#include <sys/socket.h>\n\#include <microhttpd.h>\n' | $(CC) -E -x c - >/dev/null 2>&1
HAVE_MHD = $(shell $(MHD_PROBE) && echo 1)
$(B)/deps-serve.ok: | $(B)/deps.ok
	@$(MHD_PROBE) || \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing: libmicrohttpd-dev"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libmicrohttpd-dev >/dev/null || exit 1; \
	else \
	  echo "note: no libmicrohttpd-dev: 'needlecheck serve' is left out (as root: apt-get install -y libmicrohttpd-dev)"; \
	fi
	@touch $@

deps: $(B)/deps.ok $(B)/deps-serve.ok $(B)/ocr.mk
deps-test: $(B)/deps-test.ok

# ----------------------------------------------------------------- OCR
# Photos of labels: Tesseract 5 and Leptonica, found with pkg-config, and
# the English, French and German data. As root the build installs them
# like the other packages; without them the library still builds and a
# photo gets a message saying what to install (after installing them,
# `make clean`). $(B)/ocr.mk holds the flags that were found. Their
# headers are needed to build, but nothing links them: src/input/ocr.c
# opens them by soname on the first photo (src/tools/soname.sh tells it
# the sonames and packages found here), so a run without a photo does
# not load them and their sixty-odd libraries.
OCR_DEPS = libtesseract-dev libleptonica-dev tesseract-ocr-eng \
	tesseract-ocr-fra tesseract-ocr-deu
ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(B)/ocr.mk
endif

$(B)/ocr.mk: src/tools/soname.sh | $(B)/deps.ok
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(OCR_DEPS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	  done; \
	fi; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	elif [ -n "$$missing" ]; then \
	  echo "note: photos will not be read without:$$missing (as root: apt-get install -y$$missing)"; \
	fi; \
	if pkg-config --exists 'tesseract >= 5' lept; then \
	  echo "OCR_CFLAGS = -DNDL_HAVE_OCR $$(pkg-config --cflags tesseract lept | sed 's/-I/-isystem /g')" \
	    "$$(sh src/tools/soname.sh tesseract -DNDL_TESSERACT) $$(sh src/tools/soname.sh lept -DNDL_LEPT)"; \
	else \
	  echo "OCR_CFLAGS ="; \
	fi > $@

$(B)/obj/input/ocr.o $(B)/pic/input/ocr.o: CPPFLAGS_ALL += $(OCR_CFLAGS)
$(B)/obj/input/ocr.o $(B)/pic/input/ocr.o: $(B)/ocr.mk

# --------------------------------------------------------------- build
$(B)/embed: src/tools/embed.c | $(B)/deps.ok
	@mkdir -p $(B)
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

$(B)/lexicon_data.c: $(B)/embed $(LEXICON)
	$(B)/embed $(LEXICON) > $@

# The built-in lexicon in its final form (src/knowledge/builtin.c): the
# embedded files loaded, checked and indexed by the library's own loader
# at build time, and written as C, so a check starts with it ready. A
# lexicon error stops the build here, with its file and line.
LEXGEN_OBJ = $(B)/obj/tools/lexgen.o $(B)/obj/knowledge/lexicon.o $(B)/obj/knowledge/image.o \
	$(B)/obj/knowledge/lexicon_write.o $(B)/obj/knowledge/files.o $(B)/obj/knowledge/vocab.o \
	$(B)/obj/core/near.o $(B)/obj/core/gate.o \
	$(patsubst src/%.c,$(B)/obj/%.o,$(wildcard src/base/*.c)) $(B)/obj/lexicon_data.o
$(B)/lexgen: $(LEXGEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/lexicon_built.c: $(B)/lexgen
	$(B)/lexgen > $@

# ... the index of its names' misspellings (src/core/near.c), and its
# patterns' gates (src/core/gate.c)
$(B)/near_built.c: $(B)/lexgen
	$(B)/lexgen near > $@

$(B)/gates_built.c: $(B)/lexgen
	$(B)/lexgen gates > $@

BUILT = lexicon_data lexicon_built near_built gates_built
$(BUILT:%=$(B)/obj/%.o): $(B)/obj/%.o: $(B)/%.c $(HEADERS)
	@mkdir -p $(B)/obj
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) -std=c11 -c -o $@ $<

$(B)/obj/%.o: src/%.c $(HEADERS) | $(B)/deps.ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -c -o $@ $<

# the server, with libmicrohttpd when there is one (probed at build
# time), opened when 'serve' runs like the OCR libraries (src/cli/serve.c)
$(B)/obj/cli/serve.o: CPPFLAGS_ALL += $(if $(HAVE_MHD),-DNDL_HAVE_MHD \
	$(shell sh src/tools/soname.sh libmicrohttpd -DNDL_MHD))
$(B)/obj/cli/serve.o: | $(B)/deps-serve.ok

$(B)/libneedlecheck.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# the shared library: the same objects, position-independent
PIC_OBJ = $(LIB_OBJ:$(B)/obj/%=$(B)/pic/%)
SONAME = libneedlecheck.so.$(SOMAJOR)

$(BUILT:%=$(B)/pic/%.o): $(B)/pic/%.o: $(B)/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) -fPIC -std=c11 -c -o $@ $<

$(B)/pic/%.o: src/%.c $(HEADERS) | $(B)/deps.ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) -fPIC $(WARN) -c -o $@ $<

$(B)/libneedlecheck.so.$(VERSION): $(PIC_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -o $@ $^ $(LIBS)

# written each time: PREFIX may differ from the last run's
$(B)/needlecheck.pc: FORCE
	@mkdir -p $(B)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
		'Name: needlecheck' \
		'Description: cosmetic ingredient lists checked against the days after micro-needling' \
		'Version: $(VERSION)' \
		'Cflags: -I$${includedir}' \
		'Libs: -L$${libdir} -lneedlecheck' \
		'Libs.private: $(LIBS)' > $@

# The program exports what src/cli/lstm_only.c defines for Tesseract.
$(B)/needlecheck: $(CLI_OBJ) $(B)/libneedlecheck.a src/cli/exports.list
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--dynamic-list=src/cli/exports.list \
		-o $@ $(filter %.o %.a,$^) $(PROGRAM_LIBS)

# ---------------------------------------------------------------- use
demo: $(B)/needlecheck
	@echo '$$ cat samples/night-serum.txt | needlecheck --day 2'
	@$(B)/needlecheck --day 2 samples/night-serum.txt || true
	@echo
	@echo '$$ needlecheck --day 0 samples/hydrating-serum.txt'
	@$(B)/needlecheck --day 0 samples/hydrating-serum.txt || true
	@echo
	@echo '$$ needlecheck --per-line --day 3 samples/lists.txt'
	@$(B)/needlecheck --per-line --day 3 samples/lists.txt || true

# the program, its manual pages and bash completion; the library (its
# header, static and shared with a soname) and its pkg-config file
install: $(B)/needlecheck $(B)/libneedlecheck.a $(B)/libneedlecheck.so.$(VERSION) $(B)/needlecheck.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(B)/needlecheck $(DESTDIR)$(BINDIR)/needlecheck
	install -m 644 src/cli/man/needlecheck.1 $(DESTDIR)$(MANDIR)/man1/needlecheck.1
	install -m 644 src/cli/man/needlecheck-lexicon.5 $(DESTDIR)$(MANDIR)/man5/needlecheck-lexicon.5
	install -m 644 src/cli/completion/needlecheck.bash $(DESTDIR)$(BASHCOMPDIR)/needlecheck
	install -m 644 include/needlecheck.h $(DESTDIR)$(INCLUDEDIR)/needlecheck.h
	install -m 644 $(B)/libneedlecheck.a $(DESTDIR)$(LIBDIR)/libneedlecheck.a
	install -m 755 $(B)/libneedlecheck.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libneedlecheck.so.$(VERSION)
	ln -sf libneedlecheck.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libneedlecheck.so
	install -m 644 $(B)/needlecheck.pc $(DESTDIR)$(PKGCONFIGDIR)/needlecheck.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/needlecheck $(DESTDIR)$(MANDIR)/man1/needlecheck.1 \
		$(DESTDIR)$(MANDIR)/man5/needlecheck-lexicon.5 \
		$(DESTDIR)$(BASHCOMPDIR)/needlecheck $(DESTDIR)$(INCLUDEDIR)/needlecheck.h \
		$(DESTDIR)$(LIBDIR)/libneedlecheck.a $(DESTDIR)$(LIBDIR)/libneedlecheck.so \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libneedlecheck.so.$(VERSION) \
		$(DESTDIR)$(PKGCONFIGDIR)/needlecheck.pc

clean:
	rm -rf $(B)

# ---------------------------------------------------------------- tests
# each test with the helpers they share (tests/unit/helpers.c)
$(B)/tests/helpers.o: tests/unit/helpers.c tests/unit/helpers.h $(HEADERS) | $(B)/deps-test.ok
	@mkdir -p $(B)/tests
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/tests/helpers.o $(B)/libneedlecheck.a | $(B)/deps-test.ok
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(B)/tests/helpers.o $(B)/libneedlecheck.a -lcmocka $(LIBS)

# lint --fix is the program's, not the library's: its test links it too
$(B)/tests/test_fix: tests/unit/test_fix.c $(B)/tests/helpers.o $(B)/obj/cli/fix.o $(B)/libneedlecheck.a | $(B)/deps-test.ok
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(B)/tests/helpers.o $(B)/obj/cli/fix.o $(B)/libneedlecheck.a -lcmocka $(LIBS)

# the program's pool of workers, likewise
$(B)/tests/test_pool: tests/unit/test_pool.c $(B)/tests/helpers.o $(B)/obj/cli/pool.o $(B)/libneedlecheck.a | $(B)/deps-test.ok
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(B)/tests/helpers.o $(B)/obj/cli/pool.o $(B)/libneedlecheck.a -lcmocka $(LIBS)

# The program with the test hooks of --fix (src/cli/fix.c, NDL_FIX_HOOKS):
# a test changes the file, or signals the program, at the moment that
# matters. Built for the tests only; build/needlecheck has no hook.
$(B)/obj/cli/fix-hooks.o: src/cli/fix.c $(HEADERS) | $(B)/deps.ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -DNDL_FIX_HOOKS $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/tests/needlecheck-hooks: $(filter-out $(B)/obj/cli/fix.o,$(CLI_OBJ)) $(B)/obj/cli/fix-hooks.o $(B)/libneedlecheck.a
	@mkdir -p $(B)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The program where the OCR and HTTP libraries it was built with are
# missing at run time (sonames no system has): photo-test and serve-test
# check that it says what to install, and that it runs without them.
ABSENT = -DNDL_TESSERACT_SO='"libtesseract.so.absent"' \
	-DNDL_LEPT_SO='"liblept.so.absent"' -DNDL_MHD_SO='"libmicrohttpd.so.absent"'
$(B)/tests/absent/ocr.o: src/input/ocr.c $(HEADERS) $(B)/ocr.mk | $(B)/deps.ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(filter-out -DNDL_TESSERACT_SO=% -DNDL_LEPT_SO=%,$(OCR_CFLAGS)) \
		$(ABSENT) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/tests/absent/serve.o: src/cli/serve.c $(HEADERS) | $(B)/deps-serve.ok
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(if $(HAVE_MHD),-DNDL_HAVE_MHD) $(ABSENT) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/tests/needlecheck-absent: $(filter-out $(B)/obj/cli/serve.o,$(CLI_OBJ)) \
		$(B)/tests/absent/serve.o $(B)/tests/absent/ocr.o $(B)/libneedlecheck.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "unit: $$t"; $$t || exit 1; done

lexicon-test: $(B)/needlecheck
	$(B)/needlecheck lexicon --test

# The layers: no include points up (tests/layers.sh), and the library
# links whole without the program's objects.
layers: $(B)/libneedlecheck.a
	@sh tests/layers.sh
	@printf 'int main(void) { return 0; }\n' > $(B)/nothing.c
	@$(CC) $(LDFLAGS) -o $(B)/library-alone $(B)/nothing.c -Wl,--whole-archive \
		$(B)/libneedlecheck.a -Wl,--no-whole-archive $(LIBS) && \
		echo "layers: the library links without src/cli"

golden: $(B)/needlecheck | $(B)/deps-test.ok
	@sh tests/golden/run.sh $(B)/needlecheck

cli: $(B)/needlecheck | $(B)/deps-test.ok
	@sh tests/cli/run.sh $(B)/needlecheck

# plan and HTML pages: golden outputs, HTML validity
plan-test: $(B)/needlecheck | $(B)/deps-test.ok
	@sh tests/plan/run.sh $(B)/needlecheck

# the HTML pages rendered by headless Chromium (installed when root)
browser-test: $(B)/needlecheck | $(B)/deps-test.ok
	@sh tests/plan/browser.sh $(B)/needlecheck

# needlecheck lint: golden output per format, the command line and --fix
# (its races at the exact moment, and random catalogues), and a real
# pre-commit run (which installs pre-commit when root)
.PHONY: lint-check
lint-check: $(B)/needlecheck $(B)/tests/needlecheck-hooks | $(B)/deps-test.ok
	@sh tests/lint/run.sh $(B)/needlecheck
	@sh tests/lint/cli.sh $(B)/needlecheck $(B)/tests/needlecheck-hooks
	@python3 tests/lint/fix_property.py $(B)/needlecheck
	@sh tests/lint/precommit.sh $(B)/needlecheck

# needlecheck serve: the API's records against the command line's, bad
# requests, escaping, limits, stopping (skipped, saying so, in a build
# without libmicrohttpd)
.PHONY: serve-test
serve-test: $(B)/needlecheck $(B)/tests/needlecheck-absent | $(B)/deps-test.ok
	@python3 tests/serve/test_serve.py $(B)/needlecheck $(B)/tests/needlecheck-absent
	@python3 tests/serve/browser.py $(B)/needlecheck

# The server under load on 127.0.0.1 (ab from apache2-utils): a fixed
# number of requests, SERVE_BENCH="REQUESTS CONCURRENCY"; not a test.
SERVE_BENCH ?= 20000 32
.PHONY: serve-bench
serve-bench: $(B)/needlecheck
	@python3 tests/serve/bench.py $(B)/needlecheck $(SERVE_BENCH)

# make install into a temporary directory, and what it installed used:
# the manual pages rendered without a warning, the bash completion, a
# program built against the library with pkg-config
install-test: | $(B)/deps-test.ok
	@sh tests/install/run.sh "$(MAKE)" "$(CC)" "$(LDFLAGS)"

FORCE:

check: $(B)/deps-test.ok
	@$(MAKE) --no-print-directory layers unit lexicon-test golden cli accuracy photo-test plan-test browser-test lint-check serve-test install-test
	@echo "all tests passed"

# ---------------------------------------------------------- sanitizers
# The whole suite again, built with AddressSanitizer (and leak checking)
# plus UndefinedBehaviorSanitizer, or UBSan alone; any report fails it.
SAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) --no-print-directory B=build/asan \
		CFLAGS="$(SAN_FLAGS) -fsanitize=address,undefined" \
		LDFLAGS="-fsanitize=address,undefined" check

ubsan:
	UBSAN_OPTIONS=print_stacktrace=1 \
	$(MAKE) --no-print-directory B=build/ubsan \
		CFLAGS="$(SAN_FLAGS) -fsanitize=undefined" \
		LDFLAGS="-fsanitize=undefined" check

# The golden cases under valgrind's memcheck: no error, no leak (PCRE2's
# JIT is off: valgrind cannot see into the code it writes).
$(B)/valgrind.ok: | $(B)/deps-test.ok
	$(call install_missing,valgrind:valgrind)
	@touch $@

valgrind: $(B)/needlecheck | $(B)/valgrind.ok
	@NEEDLECHECK_NO_JIT=1 \
	RUNNER="valgrind -q --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite" \
		sh tests/golden/run.sh $(B)/needlecheck

# ---------------------------------------------------------------- fuzz
# libFuzzer targets (clang, with ASan and UBSan), each run FUZZ_SECONDS
# from the seeds in tests/fuzz/corpus/TARGET; the corpus grows in
# build/fuzz/corpus, crashes land in build/fuzz/ as crash-*.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = tokenize csv lexicon protocol check lint label image
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

$(B)/fuzz.ok: | $(B)/deps.ok
	@if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' | \
	     $(FUZZ_CC) -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing: clang libclang-rt-14-dev"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null || exit 1; \
	  else \
	    echo "make fuzz needs clang with libFuzzer; run as root:  apt-get install -y clang libclang-rt-14-dev"; exit 1; \
	  fi; \
	fi
	@touch $@

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(LIB_SRC) $(BUILT:%=$(B)/%.c) $(HEADERS) | $(B)/fuzz.ok
	@mkdir -p $(B)/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS_ALL) $(OCR_CFLAGS) -o $@ $< $(LIB_SRC) $(BUILT:%=$(B)/%.c) $(LIBS)

$(B)/fuzz/fuzz_protocol: tests/fuzz/fuzz_lexicon.c

fuzz: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(B)/fuzz/corpus/$$t; \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
	  $(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
	    2> $(B)/fuzz/$$t.log || { tail -40 $(B)/fuzz/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' $(B)/fuzz/$$t.log | sed "s/^/  /"; \
	done

# ---------------------------------------------------------------- bench
# Not a test: figures for a person, measured side by side on inventories
# shaped like real catalogues (see tests/bench/run.py). BENCH_ROWS picks
# the sizes; BENCH_TIMEOUT (s) cuts a slow run short; BENCH_COMPARE=BIN
# measures another build beside this one.
BENCH_ROWS ?= 100000 1000000

$(B)/bench/gen: tests/bench/gen.c
	@mkdir -p $(B)/bench
	$(CC) -O2 -o $@ $< -lm

$(B)/bench/csvparse: tests/bench/csvparse.c | $(B)/deps.ok
	@mkdir -p $(B)/bench
	$(CC) -O2 -o $@ $< -lcsv

$(B)/bench/rusage: tests/bench/rusage.c
	@mkdir -p $(B)/bench
	$(CC) -O2 -o $@ $<

bench: $(B)/needlecheck $(B)/bench/gen $(B)/bench/csvparse $(B)/bench/rusage | $(B)/deps-test.ok
	python3 tests/bench/run.py $(B) $(BENCH_ROWS)

# The committed vocabulary (names and counts), rebuilt from the real lists.
.PHONY: bench-vocabulary
bench-vocabulary: | $(B)/deps-test.ok
	python3 tests/bench/vocab.py --max-bytes 290000 --report > tests/bench/vocabulary.txt

# ---------------------------------------------------------- screenshots
# PNGs of the plan, of a catalogue report, of a photo's page and of the
# server's page (an answer on a phone, 390 px), for the README.
SHOTS = samples/screenshots
CHROMIUM_FLAGS = --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --hide-scrollbars

screenshots: $(B)/needlecheck
	@browser=$$(sh tests/plan/chromium.sh) || exit 1; \
	mkdir -p $(SHOTS) $(B)/screenshots; \
	$(B)/needlecheck plan --since 2026-11-20 --now 2026-11-22T09:00 --format html \
		samples/my-shelf.csv > $(B)/screenshots/plan.html || [ $$? -eq 1 ] || exit 1; \
	$(B)/needlecheck --day 3 --format html samples/shop-inventory.csv \
		> $(B)/screenshots/catalogue.html || [ $$? -eq 1 ] || exit 1; \
	$(B)/needlecheck --day 3 --format html tests/photo/fixtures/night-serum.moderate.jpg \
		> $(B)/screenshots/photo.html || [ $$? -eq 1 ] || exit 1; \
	for page in plan:1000,1150 catalogue:860,1250 photo:1000,1300; do \
		name=$${page%%:*}; rm -rf $(B)/screenshots/profile; \
		"$$browser" $(CHROMIUM_FLAGS) --user-data-dir="$(abspath $(B))/screenshots/profile" \
			--window-size=$${page#*:} --screenshot="$(CURDIR)/$(SHOTS)/$$name.png" \
			"file://$(abspath $(B))/screenshots/$$name.html" 2>/dev/null || exit 1; \
		echo "$(SHOTS)/$$name.png: $$(wc -c < $(SHOTS)/$$name.png) bytes"; \
	done; \
	python3 tests/plan/phone_shot.py $(B)/screenshots/plan.html $(SHOTS)/plan-phone.png || exit 1; \
	python3 tests/serve/browser.py $(B)/needlecheck --screenshot $(SHOTS)/serve.png

# ------------------------------------------------------------ accuracy
# accuracy: realistic lists and the classes they must and must not report
# (tests/accuracy/cases), part of check. eval: measures the tool on the
# public product lists in ../shared/data/real when they are there (they are
# not part of the project, and check never needs them).
# audit: where a real label could still hide an active — unrecognised
# names that hold or misspell an active's name (target 0), and verdicts
# that change when the lists are re-punctuated; not part of check.
# DATA=DIR points both at the datasets elsewhere.
.PHONY: accuracy eval audit
DATA ?= ../shared/data/real
accuracy: $(B)/needlecheck | $(B)/deps-test.ok
	@python3 tests/accuracy/run.py $(B)/needlecheck

eval: $(B)/needlecheck | $(B)/deps-test.ok
	@python3 tests/accuracy/eval.py $(B)/needlecheck --data $(DATA)

audit: $(B)/needlecheck | $(B)/deps-test.ok
	@python3 tests/accuracy/audit.py $(B)/needlecheck --data $(DATA)

# ------------------------------------------------------------- photos
# eval-photo: label images made from the public lists of ../shared (when
# present) at each distortion level (9: EVAL_PHOTOS lists make 9 times
# as many photos), then read back: recall, verdicts and seconds per
# photo. photo-test (part of check): the committed photos of
# tests/photo/fixtures read back, by the library and the command line.
.PHONY: eval-photo photo-test photo-fixtures
EVAL_PHOTOS ?= 12

$(B)/photo/eval_photo: tests/photo/eval_photo.c $(B)/libneedlecheck.a | $(B)/deps.ok
	@mkdir -p $(B)/photo
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(B)/libneedlecheck.a $(LIBS)

# Making label images needs ImageMagick and the fonts labels.py draws
# with (not the program, nor the tests of make check).
FONTS = /usr/share/fonts/truetype
$(B)/deps-labels.ok: | $(B)/deps-test.ok
	$(call install_missing,imagemagick:/usr/bin/convert \
	  fonts-dejavu-core:$(FONTS)/dejavu/DejaVuSans.ttf \
	  fonts-dejavu-extra:$(FONTS)/dejavu/DejaVuSansCondensed.ttf \
	  fonts-liberation:$(FONTS)/liberation/LiberationSansNarrow-Regular.ttf)
	@touch $@

eval-photo: $(B)/photo/eval_photo $(B)/needlecheck | $(B)/deps-labels.ok
	@python3 tests/photo/eval.py --build $(B) --lists $(EVAL_PHOTOS)

photo-test: $(B)/photo/eval_photo $(B)/needlecheck $(B)/tests/needlecheck-absent | $(B)/deps-test.ok
	@python3 tests/photo/run.py $(B)
	@sh tests/photo/cli.sh $(B)/needlecheck $(B)/tests/needlecheck-absent

# The fixtures again, from lists.tsv (needs ImageMagick and the fonts).
PHOTO_FIXTURES = night-serum.moderate.jpg calm-gel.clean.png day-fluid-spf.clean.png
photo-fixtures: | $(B)/deps-labels.ok
	python3 tests/photo/labels.py render --out $(B)/photo-fixtures --levels clean,moderate
	@cd $(B)/photo-fixtures && head -1 manifest.tsv > $(CURDIR)/tests/photo/fixtures/manifest.tsv && \
	for f in $(PHOTO_FIXTURES); do \
	  cp $$f $(CURDIR)/tests/photo/fixtures/ && grep "^$$f	" manifest.tsv >> $(CURDIR)/tests/photo/fixtures/manifest.tsv || exit 1; \
	done
