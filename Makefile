# RPy toolchain build.
#
#   make            build ./rpy and its runtime (build/librpyrt.a)
#   make demo       build, compile examples/hello.py, run it
#   make test       unit (Check), golden and differential tests (through the C
#                   and the LLVM backend), the differential tests again with
#                   RPY_GC_STRESS=1 (a collection at every allocation), then
#                   the suite under ASan+UBSan
#   make bench      benchmark ratios, both backends (bench/run.py)
#   make fuzz       10,000 mutated sources through every stage, ASan build
#   make install PREFIX=/usr/local
#
# Variants live in their own build folders: BUILD=build-asan SAN=1 gives the
# sanitizer build (its rpy is build-asan/rpy).

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
SAN     ?=
OPT     ?= -O2 -g

WARN    = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wno-unused-parameter
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -MMD -MP -I.
ifeq ($(SAN),1)
CFLAGS_ALL += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN    = -fsanitize=address,undefined
endif

COMPILER_DIRS = support frontend flowgraph annotator rtyper transforms backend_c
COMPILER_SRC  = $(foreach d,$(COMPILER_DIRS),$(wildcard $(d)/*.c))
COMPILER_OBJ  = $(COMPILER_SRC:%.c=$(BUILD)/%.o) $(BUILD)/frontend/lexer.o $(BUILD)/frontend/parser.o
DRIVER_OBJ    = $(patsubst %.c,$(BUILD)/%.o,$(wildcard driver/*.c))
RUNTIME_SRC   = $(wildcard runtime/*.c)
RUNTIME_OBJ   = $(RUNTIME_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC      = $(wildcard tests/unit/test_*.c)
UNIT_BIN      = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

RPY_BIN = $(if $(filter build,$(BUILD)),rpy,$(BUILD)/rpy)

.PHONY: all deps deps-check demo test test-unit test-golden test-diff test-diff-llvm test-asan test-stress bench fuzz fuzz-quick install clean

all: $(RPY_BIN) $(BUILD)/librpyrt.a $(BUILD)/librpy-llvm.so

# Install (as root) or name the Debian packages the build needs. Every
# compile depends on it order-only, so under -j nothing starts before it ends.
deps-check:
	@tools/install-deps.sh --quiet

deps:
	@tools/install-deps.sh

# rpy exports the whole compiler (-rdynamic, whole archive) for the LLVM
# backend plugin, which it loads only for --backend=llvm (driver/main.c).
$(RPY_BIN): $(DRIVER_OBJ) $(BUILD)/librpyc.a $(BUILD)/librpyrt.a
	$(CC) $(LDSAN) -rdynamic -o $@ $(DRIVER_OBJ) -Wl,--whole-archive $(BUILD)/librpyc.a -Wl,--no-whole-archive -ldl -lm

# The LLVM backend (backend_llvm/): a plugin beside librpyrt.a, compiled
# against the LLVM-C headers and linked with libLLVM (Debian's
# llvm-14-dev, see tools/install-deps.sh).
LLVM_CONFIG ?= llvm-config-14
LLVM_INCDIR := $(shell $(LLVM_CONFIG) --includedir 2>/dev/null)
LLVM_LIBS   := $(shell $(LLVM_CONFIG) --ldflags --libs 2>/dev/null)
LLVM_OBJ    := $(patsubst %.c,$(BUILD)/%.o,$(wildcard backend_llvm/*.c))
$(LLVM_OBJ): CFLAGS_ALL += -I$(LLVM_INCDIR) -fPIC
$(BUILD)/librpy-llvm.so: $(LLVM_OBJ)
	$(CC) $(LDSAN) -shared -o $@ $^ $(LLVM_LIBS)

$(BUILD)/librpyc.a: $(COMPILER_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/librpyrt.a: $(RUNTIME_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The runtime is compiled without -Werror=missing-prototypes relaxations: it
# is linked into user programs and must be as strict as the compiler.
$(BUILD)/%.o: %.c | deps-check
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# ---- frontend generators ----
$(BUILD)/frontend/parser.c $(BUILD)/frontend/parser.h: frontend/parser.y | deps-check
	@mkdir -p $(BUILD)/frontend
	bison -Wall -Werror --defines=$(BUILD)/frontend/parser.h -o $(BUILD)/frontend/parser.c $<

$(BUILD)/frontend/lexer.c $(BUILD)/frontend/lexer.h: frontend/lexer.l $(BUILD)/frontend/parser.h | deps-check
	@mkdir -p $(BUILD)/frontend
	flex --header-file=$(BUILD)/frontend/lexer.h -o $(BUILD)/frontend/lexer.c $<

# Generated code is not ours to keep warning-free beyond -Wall.
GEN_CFLAGS = $(filter-out -Wmissing-prototypes -Wshadow,$(CFLAGS_ALL)) -Wno-unused-function -Wno-sign-compare -I$(BUILD)/frontend -Ifrontend
$(BUILD)/frontend/lexer.o: $(BUILD)/frontend/lexer.c
	$(CC) $(GEN_CFLAGS) -c -o $@ $<
$(BUILD)/frontend/parser.o: $(BUILD)/frontend/parser.c
	$(CC) $(GEN_CFLAGS) -c -o $@ $<
$(patsubst %.c,$(BUILD)/%.o,$(wildcard frontend/*.c)): CFLAGS_ALL += -I$(BUILD)/frontend
$(patsubst %.c,$(BUILD)/%.o,$(wildcard frontend/*.c)): $(BUILD)/frontend/parser.h $(BUILD)/frontend/lexer.h

# ---- tests ----
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lpthread) -lm

$(BUILD)/tests/test_rt_%: tests/unit/test_rt_%.c $(BUILD)/librpyrt.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Wno-missing-prototypes -o $@ $< $(BUILD)/librpyrt.a $(LDSAN) $(CHECK_LIBS)

# test_rt_format's expected texts are CPython's, computed when the test is
# built: the generator formats every case with python3 into a C table.
$(BUILD)/tests/format_cases.inc: tests/unit/gen_format_cases.py
	@mkdir -p $(dir $@)
	python3 $< $@.tmp && mv $@.tmp $@
$(BUILD)/tests/test_rt_format: $(BUILD)/tests/format_cases.inc
$(BUILD)/tests/test_rt_format: private CFLAGS_ALL += -I$(BUILD)/tests

# The same for the math and random modules: CPython's results for a table
# of inputs, and its outputs for sequences of calls after fixed seeds.
$(BUILD)/tests/math_cases.inc: tests/unit/gen_math_cases.py
	@mkdir -p $(dir $@)
	python3 $< $@.tmp && mv $@.tmp $@
$(BUILD)/tests/random_cases.inc: tests/unit/gen_random_cases.py
	@mkdir -p $(dir $@)
	python3 $< $@.tmp && mv $@.tmp $@
$(BUILD)/tests/test_rt_mathmod: $(BUILD)/tests/math_cases.inc
$(BUILD)/tests/test_rt_mathmod: private CFLAGS_ALL += -I$(BUILD)/tests
$(BUILD)/tests/test_rt_random: $(BUILD)/tests/random_cases.inc
$(BUILD)/tests/test_rt_random: private CFLAGS_ALL += -I$(BUILD)/tests

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/librpyc.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I$(BUILD)/frontend -Wno-missing-prototypes -o $@ $< $(BUILD)/librpyc.a $(LDSAN) $(CHECK_LIBS)

test-unit: $(UNIT_BIN)
	@tools/run-unit-tests.sh $(UNIT_BIN)

test-golden: all
	@python3 tests/golden/run.py --rpy ./$(RPY_BIN)

test-diff: all
	@tests/difftest.sh ./$(RPY_BIN)

# The same suite through the LLVM backend (every module verified), and
# under GC stress.
test-diff-llvm: all
	@tests/difftest-llvm.sh ./$(RPY_BIN)
	@RPY_GC_STRESS=1 tests/difftest-llvm.sh ./$(RPY_BIN)

test-stress: all
	@RPY_GC_STRESS=1 tests/difftest.sh ./$(RPY_BIN)

# The pure-Python rpy package (lib/rpy), the oracle of the stackless tests.
test-rpy-package:
	@tests/rpy_package/run.sh

# Whole tracebacks against python3's (difftest compares their last line).
test-tracebacks: all
	@tests/tracebacks/run.sh ./$(RPY_BIN)

test-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT="-O1 -g" all
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT="-O1 -g" test-unit
	@RPY_CFLAGS_EXTRA="-fsanitize=address,undefined -fno-sanitize-recover=undefined" tests/difftest.sh build-asan/rpy
	@$(MAKE) --no-print-directory fuzz-quick

test: all test-unit test-golden test-rpy-package test-tracebacks test-diff test-diff-llvm test-stress test-asan
	@echo "make test: all suites passed"

fuzz:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT="-O1 -g" all
	@python3 tools/fuzz.py --rpy build-asan/rpy --count 10000

fuzz-quick:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 OPT="-O1 -g" all
	@python3 tools/fuzz.py --rpy build-asan/rpy --count 500

bench: all
	@python3 bench/run.py --rpy ./rpy

demo: all
	./rpy build examples/hello.py -o $(BUILD)/hello
	./$(BUILD)/hello

install: all
	install -d $(PREFIX)/bin $(PREFIX)/lib/rpy $(PREFIX)/include/rpy $(PREFIX)/lib/rpy/python/rpy
	install -m 755 rpy $(PREFIX)/bin/rpy
	install -m 644 $(BUILD)/librpyrt.a $(PREFIX)/lib/rpy/librpyrt.a
	install -m 644 $(BUILD)/librpy-llvm.so $(PREFIX)/lib/rpy/librpy-llvm.so
	install -m 644 runtime/*.h $(PREFIX)/include/rpy/
	cp -r lib/rpy/. $(PREFIX)/lib/rpy/python/rpy/
	install -d $(PREFIX)/lib/rpy/stdlib
	cp -r lib/stdlib/. $(PREFIX)/lib/rpy/stdlib/

clean:
	rm -rf build build-asan rpy

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
