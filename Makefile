# needlecheck — make, make check, make demo, make install, make clean.
# CC, CFLAGS, LDFLAGS, PREFIX and DESTDIR are honoured.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla \
       -Wcast-qual -Wwrite-strings
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc -Ibuild $(CPPFLAGS)
LIBS = -lpcre2-8 -lcsv -lutf8proc -lm -lpthread

B = build
LIB_SRC = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ = $(LIB_SRC:src/%.c=$(B)/obj/%.o) $(B)/obj/lexicon_data.o
LEXICON = $(sort $(wildcard lexicon/*.txt lexicon/*.tsv))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

# Debian packages: what is missing gets installed when run as root.
DEPS_BUILD = gcc libc6-dev libpcre2-dev libcsv-dev libutf8proc-dev
DEPS_TEST = libcmocka-dev python3

.PHONY: all check demo install uninstall clean deps deps-test unit golden cli lexicon-test
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

$(B)/deps-test.ok: $(B)/deps.ok
	$(call install_missing,libcmocka-dev:cmocka.h python3:python3)
	@touch $@

deps: $(B)/deps.ok
deps-test: $(B)/deps-test.ok

# --------------------------------------------------------------- build
$(B)/embed: src/tools/embed.c | $(B)/deps.ok
	@mkdir -p $(B)
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

$(B)/lexicon_data.c: $(B)/embed $(LEXICON)
	$(B)/embed $(LEXICON) > $@

$(B)/obj/lexicon_data.o: $(B)/lexicon_data.c src/lexicon.h
	@mkdir -p $(B)/obj
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) -std=c11 -c -o $@ $<

$(B)/obj/%.o: src/%.c $(wildcard src/*.h) include/needlecheck.h | $(B)/deps.ok
	@mkdir -p $(B)/obj
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/libneedlecheck.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/needlecheck: $(B)/obj/main.o $(B)/libneedlecheck.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

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

install: $(B)/needlecheck
	install -d $(DESTDIR)$(BINDIR)
	install -m 755 $(B)/needlecheck $(DESTDIR)$(BINDIR)/needlecheck

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/needlecheck

clean:
	rm -rf $(B)

# ---------------------------------------------------------------- tests
$(B)/tests/%: tests/unit/%.c $(B)/libneedlecheck.a | $(B)/deps-test.ok
	@mkdir -p $(B)/tests
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< $(B)/libneedlecheck.a -lcmocka $(LIBS)

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "unit: $$t"; $$t || exit 1; done

lexicon-test: $(B)/needlecheck
	$(B)/needlecheck lexicon --test

golden: $(B)/needlecheck | $(B)/deps-test.ok
	@sh tests/golden/run.sh $(B)/needlecheck

cli: $(B)/needlecheck | $(B)/deps-test.ok
	@sh tests/cli/run.sh $(B)/needlecheck

check: $(B)/deps-test.ok
	@$(MAKE) --no-print-directory unit lexicon-test golden cli accuracy
	@echo "all tests passed"

# ------------------------------------------------------------ accuracy
# accuracy: realistic lists and the classes they must and must not report
# (tests/accuracy/cases), part of check. eval: measures the tool on the
# public product lists in ../shared/data/real when they are there (they are
# not part of the project, and check never needs them).
.PHONY: accuracy eval
accuracy: $(B)/needlecheck | $(B)/deps-test.ok
	@python3 tests/accuracy/run.py $(B)/needlecheck

eval: $(B)/needlecheck | $(B)/deps-test.ok
	@python3 tests/accuracy/eval.py $(B)/needlecheck
