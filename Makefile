# sucai: one non-recursive Makefile. `make help` lists the targets.
#
# Sources are found by folder, so a new file in lib/<part>/, cli/, server/,
# tests/unit/<part>/ or tests/fuzz/ needs no edit here.

CC      ?= cc
PKGS    := sqlite3 libzip expat uchardet libmicrohttpd libsodium libzstd libcrypto
# PostgreSQL's client library, where installed: the store's second driver
# (lib/store/pg.c, a library given as postgresql://…); NO_PG=1 leaves it out
ifeq ($(NO_PG)$(shell pkg-config --exists libpq && echo y),y)
PKGS    += libpq
PG_DEF  := -DSC_HAVE_PG
endif
SANITIZE ?=
ifeq ($(SANITIZE),)
BUILD   ?= build
OPT     ?= -O2
else
BUILD   ?= build-san
OPT     ?= -O1 -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
endif

WARN    := -Wall -Wextra -Werror -Wformat=2 -Wstrict-prototypes -Wold-style-definition \
           -Wvla -Wwrite-strings -Wpointer-arith -Wshadow
CFLAGS  += -std=c17 -D_GNU_SOURCE $(PG_DEF) -g $(OPT) $(WARN) -Iinclude -Ilib \
           $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lz -lm -lpthread
LDFLAGS += $(if $(SANITIZE),-fsanitize=$(SANITIZE))

LIB_SRC    := $(sort $(wildcard lib/*/*.c))
CLI_SRC    := $(sort $(wildcard cli/*.c))
SERVER_SRC := $(sort $(wildcard server/*.c))
UNIT_SRC   := $(sort $(wildcard tests/unit/*/test_*.c))
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
WEB_FILES  := $(sort $(wildcard web/*))
DATA_FILES := $(sort $(wildcard lib/*/data/*.tsv))

LIB_OBJ    := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/data.o
CLI_OBJ    := $(CLI_SRC:%.c=$(BUILD)/%.o) $(SERVER_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/assets.o
UNIT_BIN   := $(UNIT_SRC:%.c=$(BUILD)/%)
FUZZ_REPLAY:= $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/replay_%)

.PHONY: all help check test unit clean bench fuzz-smoke format format-check lint golden-update bench-cluster
all: $(BUILD)/sucai

help:
	@echo "make                 build libsucai.a and sucai"
	@echo "make test            build and run every test layer (tests/run): unit, e2e, corpus, http, browser"
	@echo "make check           the same as make test"
	@echo "make SANITIZE=address,undefined test"
	@echo "make fuzz-smoke      build fuzzers with clang, run each for a short time"
	@echo "make golden-update   regenerate expected outputs (review the diff!)"
	@echo "make bench           search + import benchmark against the anchors (needs ../shared)"
	@echo "make bench-cluster   PostgreSQL beside SQLite, 3 nodes, nginx (CORPUS=S90M for 9000万字)"
	@echo "make format / format-check / lint"

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Two archives of the same objects: libsucai-all.a keeps every symbol (unit
# tests and fuzz targets test internals); libsucai.a, which the sucai binary
# links, is one object whose only global symbols are those the public headers
# declare (tools/public-symbols), so `nm` tells the API from the internals and
# a front end that reached past the headers would not link.
$(BUILD)/libsucai-all.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/public.syms: tools/public-symbols $(wildcard include/sucai/*.h)
	@mkdir -p $(dir $@)
	tools/public-symbols >$@

$(BUILD)/libsucai.a: $(BUILD)/libsucai-all.a $(BUILD)/public.syms
	@rm -f $@ $(BUILD)/libsucai.o
	ld -r --whole-archive $(BUILD)/libsucai-all.a -o $(BUILD)/libsucai.o
	objcopy --keep-global-symbols=$(BUILD)/public.syms $(BUILD)/libsucai.o
	ar rcs $@ $(BUILD)/libsucai.o

# Web assets are embedded into the binary at build time (server/assets.h).
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/gen/assets.c: $(BUILD)/tools/embed $(WEB_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(WEB_FILES)

$(BUILD)/gen/assets.o: $(BUILD)/gen/assets.c
	@echo "CC $<"
	@$(CC) $(CFLAGS) -Iserver -c $< -o $@

# Data sets (lib/*/data/*.tsv) are embedded into the library (lib/base/data.h).
$(BUILD)/gen/data.c: $(BUILD)/tools/embed $(DATA_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -t sc_datafiles -i base/data.h $@ $(DATA_FILES)

$(BUILD)/gen/data.o: $(BUILD)/gen/data.c
	@echo "CC $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/sucai: $(CLI_OBJ) $(BUILD)/libsucai.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libsucai-all.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -Itests/lib $(LDFLAGS) -o $@ $< $(BUILD)/libsucai-all.a $(LDLIBS) -lcmocka

$(BUILD)/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libsucai-all.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libsucai-all.a $(LDLIBS)

unit: $(UNIT_BIN)

# Benchmark programs (bench/*.c) use the public API only.
$(BUILD)/bench/%: bench/%.c $(BUILD)/libsucai.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libsucai.a $(LDLIBS)

test check: $(BUILD)/sucai $(UNIT_BIN) $(FUZZ_REPLAY)
	BUILD=$(BUILD) tests/run

# libFuzzer builds: clang, ASan + UBSan, each target for FUZZ_SECONDS.
FUZZ_SECONDS ?= 20
fuzz-smoke:
	$(MAKE) BUILD=build-fuzz CC=clang SANITIZE=address,undefined build-fuzz/libsucai-all.a
	@set -e; for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -Iinclude -Ilib $$(pkg-config --cflags $(PKGS)) \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $$f build-fuzz/libsucai-all.a \
	    $$(pkg-config --libs $(PKGS)) -lz -lm -lpthread -o build-fuzz/$$n; \
	  mkdir -p build-fuzz/corpus-$$n; \
	  echo "fuzz $$n for $(FUZZ_SECONDS)s"; \
	  build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	    build-fuzz/corpus-$$n tests/fuzz/corpus/$$n >build-fuzz/$$n.log 2>&1 \
	    || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	  tail -1 build-fuzz/$$n.log; done

golden-update: $(BUILD)/sucai
	BUILD=$(BUILD) GOLDEN_UPDATE=1 tests/run golden

bench: $(BUILD)/sucai
	tools/install-deps --bench
	bench/run

bench-cluster: $(BUILD)/sucai
	bench/cluster/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -Iinclude -Ilib lib cli server

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
