# Lockstep: the two commands (`make demo`, `make test`) and their helpers.
BUILD     ?= build
BUILDTYPE ?= RelWithDebInfo
JOBS      ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all deps configure build test demo package bench clean fuzz asan format

all: build

# Everything fetched from the network happens here: Debian packages, then the npm
# packages of the conformance tests (a test run needs no network).
deps:
	@installer/install-deps.sh
	@installer/fetch-node-modules.sh

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILDTYPE)

configure: deps $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Every test through CTest; GUI tests render offscreen.
test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Opens the console on a fresh SQLite workspace wired to a sandbox running the demo scenario.
demo: build
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	    echo "lockstep: no display found; starting under xvfb-run (set DISPLAY to see the window)"; \
	    exec xvfb-run -a -s "-screen 0 1440x900x24" $(BUILD)/bin/lockstep --demo; \
	else \
	    exec $(BUILD)/bin/lockstep --demo; \
	fi

package: build
	cd $(BUILD) && cpack -G "DEB;TGZ"

bench: build
	bench/run-all.sh $(BUILD)

# libFuzzer targets (clang, own build dir): each fuzzer runs FUZZ_SECONDS from its seeds.
FUZZ_SECONDS ?= 600
fuzz: deps
	tests/fuzz/fuzz.sh all $(CURDIR) $(CURDIR)/build-fuzz $(FUZZ_SECONDS)

# ASan+UBSan build (own build dir) of the engine, CLI and sandbox tests, then those tests.
asan: deps
	tests/security/asan.sh $(CURDIR) $(CURDIR)/build-asan $(JOBS)

# Rewrites every C++ source as the root .clang-format says (`make test` checks it).
format:
	find app ui models sync_core sandbox tests bench resources \( -name node_modules -o -name corpus \) -prune \
	    -o \( -name '*.cpp' -o -name '*.h' \) -print | xargs clang-format -i --style=file

clean:
	rm -rf $(BUILD)
