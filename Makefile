# saksi build. `make` builds build/saksi; `make demo` and `make test` are the README's two
# commands and install missing Debian packages first (see .ci/deps).
#
# Variants build out of tree: build/ (default), build/asan (ASan+UBSan). WERROR=1 adds -Werror
# (CI sets it). V=1 shows the commands.

BUILD   ?= build
CC      ?= cc
PKGS    := libsodium lmdb msgpack jansson
UV_CFLAGS := $(shell pkg-config --cflags libuv 2>/dev/null)
UV_LIBS   := $(shell pkg-config --libs libuv 2>/dev/null)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wold-style-definition -Wpointer-arith -Wwrite-strings -Wvla -Wformat=2 -Wundef \
        -Wcast-align -fno-common
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g $(WARN) \
        -fstack-protector-strong -I. $(PKG_CFLAGS) $(UV_CFLAGS) -MMD -MP
OPT     ?= -O2 -D_FORTIFY_SOURCE=2
ifeq ($(WERROR),1)
BASE_CFLAGS += -Werror
endif
CFLAGS_ALL = $(BASE_CFLAGS) $(OPT) $(EXTRA_CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread $(EXTRA_LDFLAGS)

ifeq ($(V),1)
Q :=
else
Q := @
endif

PROTO_SRC := $(wildcard proto/*.c)
STORE_SRC := $(wildcard store/*.c)
CLI_SRC   := $(wildcard cli/*.c)
NODE_SRC  := $(wildcard node/*.c)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
BENCH_SRC := $(wildcard tests/bench/*.c) tests/lib/stream.c
GEN_SRC   := tests/demo/gen.c tests/lib/stream.c

PROTO_OBJ := $(PROTO_SRC:%.c=$(BUILD)/obj/%.o)
STORE_OBJ := $(STORE_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
NODE_OBJ  := $(NODE_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HELPER_OBJ := $(BUILD)/obj/tests/unit/helpers.o $(BUILD)/obj/tests/unit/hist.o

LIBPROTO := $(BUILD)/libsaksi_proto.a
LIBSTORE := $(BUILD)/libsaksi_store.a

.SECONDARY:
.PHONY: all deps demo test test-run asan bench fuzz fuzz-smoke valgrind clean format format-check install
all: $(BUILD)/saksi $(BUILD)/saksid

deps:
	@sh .ci/deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(LIBPROTO): $(PROTO_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(LIBSTORE): $(STORE_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/saksi: $(CLI_OBJ) $(LIBSTORE) $(LIBPROTO)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIBSTORE) $(LIBPROTO) $(LDLIBS_ALL)

$(BUILD)/saksid: $(NODE_OBJ) $(LIBSTORE) $(LIBPROTO)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(NODE_OBJ) $(LIBSTORE) $(LIBPROTO) $(LDLIBS_ALL) $(UV_LIBS)

$(BUILD)/tests/test_%: $(BUILD)/obj/tests/unit/test_%.o $(HELPER_OBJ) $(LIBSTORE) $(LIBPROTO)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(HELPER_OBJ) $(UNIT_CLI) $(LIBSTORE) $(LIBPROTO) $(LDLIBS_ALL) $(CMOCKA_LIBS)

# Unit tests of CLI code (named in CLI_UNIT_TESTS) also link the CLI's objects but main.o, as an
# archive so that only the objects a test needs are pulled in.
CLI_UNIT_TESTS := html
LIBCLI := $(BUILD)/libsaksi_cli.a
$(LIBCLI): $(filter-out %/cli/main.o,$(CLI_OBJ))
	$(Q)rm -f $@ && ar rcs $@ $^
$(CLI_UNIT_TESTS:%=$(BUILD)/tests/test_%): $(LIBCLI)
$(CLI_UNIT_TESTS:%=$(BUILD)/tests/test_%): UNIT_CLI = $(LIBCLI)

$(BUILD)/bench/saksi-bench: $(BENCH_SRC:%.c=$(BUILD)/obj/%.o) $(LIBSTORE) $(LIBPROTO)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBSTORE) $(LIBPROTO) $(LDLIBS_ALL)

# The demo generator (tests/demo/gen.c): a koperasi's year as an export stream; links proto/ only.
$(BUILD)/saksi-gen: $(GEN_SRC:%.c=$(BUILD)/obj/%.o) $(LIBPROTO)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIBPROTO) $(LDLIBS_ALL)

# The integration tests' hostile peer (tests/integ/hostile.c).
$(BUILD)/tests/saksi-hostile: $(BUILD)/obj/tests/integ/hostile.o $(LIBSTORE) $(LIBPROTO)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBSTORE) $(LIBPROTO) $(LDLIBS_ALL)

# The checkpoint test's forger (tests/cli/ckpt_forge.c): a kind-80 entry with an altered head.
$(BUILD)/tests/saksi-ckpt-forge: $(BUILD)/obj/tests/cli/ckpt_forge.o $(LIBCLI) $(LIBSTORE) $(LIBPROTO)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBCLI) $(LIBSTORE) $(LIBPROTO) $(LDLIBS_ALL)

build-tests: $(BUILD)/saksi $(BUILD)/saksid $(BUILD)/saksi-gen $(BUILD)/tests/saksi-hostile \
             $(BUILD)/tests/saksi-ckpt-forge $(UNIT_BIN)

# The README's commands.
demo: deps
	$(Q)$(MAKE) --no-print-directory all $(BUILD)/saksi-gen
	$(Q)sh tests/demo.sh $(BUILD)/saksi

# Plain build, then ASan+UBSan, then a fuzz smoke; the last line is the grand total.
test: deps
	$(Q)rm -f build/totals
	$(Q)$(MAKE) --no-print-directory test-run BUILD=build TOTALS=$(CURDIR)/build/totals
	$(Q)$(MAKE) --no-print-directory asan TOTALS=$(CURDIR)/build/totals
	$(Q)$(MAKE) --no-print-directory fuzz-smoke TOTALS=$(CURDIR)/build/totals
	$(Q)awk '{p += $$1; f += $$2} END {print "total: " p " passed, " f " failed"; exit f > 0}' build/totals

# One variant's tests: unit binaries and CLI scripts, with totals.
test-run: build-tests
	$(Q)TOTALS=$(TOTALS) sh tests/run.sh $(BUILD)

asan:
	$(Q)$(MAKE) --no-print-directory test-run BUILD=build/asan OPT="-O1" \
	    EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined"

# The daemon's integration tests with saksid under valgrind (not part of `make test`).
valgrind: deps build-tests
	$(Q)for t in tests/integ/test_*.sh; do \
	    SAKSI=$(CURDIR)/$(BUILD)/saksi SAKSID_REAL=$(CURDIR)/$(BUILD)/saksid \
	    SAKSID=$(CURDIR)/tests/integ/valgrind-saksid sh $$t || exit 1; \
	done

FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TIME ?= 60
FUZZ_FLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -I. $(PKG_CFLAGS) \
        -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Fuzz targets link the library code: proto, store, and the CLI's import path.
FUZZ_LIB_SRC := $(PROTO_SRC) $(STORE_SRC) cli/import.c cli/verify.c
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_SRC) proto/*.h store/*.h cli/*.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ-LD $@")
	$(Q)clang $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB_SRC) $(PKG_LIBS) -lpthread

fuzz: deps $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(Q)for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus-$$t; \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) build/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# A short run of every fuzz target, part of `make test`.
fuzz-smoke: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(Q)TOTALS=$(TOTALS) sh tests/fuzz/smoke.sh $(FUZZ_TARGETS)

bench: deps all $(BUILD)/bench/saksi-bench
	$(Q)sh tests/bench/run.sh $(BUILD)

PREFIX ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/saksi $(DESTDIR)$(PREFIX)/bin/saksi
	install -m 0755 $(BUILD)/saksid $(DESTDIR)$(PREFIX)/bin/saksid

format:
	clang-format -i $$(git ls-files '*.c' '*.h')
format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
