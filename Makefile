# apicensus - top-level entry points. Every target first installs missing Debian packages.
#   make          build into build/ (binary: build/apicensus)
#   make check    build and run every test (unit, fuzz corpus replay, CLI)
#   make demo     scan the bundled example organisation: findings summary and acme-report.html
#   make asan     the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make release  optimised build into build-release/
#   make format   clang-format every C file;  make format-check  fail when one is not formatted
#   make fuzz     libFuzzer binaries into build-fuzz/ (clang)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
MAKEFLAGS += --no-print-directory
C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null || find src include tests bench -name '*.[ch]')

.PHONY: all build check demo asan release fuzz format format-check clean bootstrap

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake --preset dev >/dev/null
	@cmake --build build -j $(JOBS)

check: build
	@scripts/bootstrap --test
	@cd build && ctest -j $(JOBS) --output-on-failure

demo: build
	./build/apicensus scan examples/acme --report acme-report.html
	@echo "Open acme-report.html in a browser; 'apicensus findings --help' and docs/rules.md explain each rule."

asan: bootstrap
	@scripts/bootstrap --test
	@cmake --preset asan >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest -j $(JOBS) --output-on-failure

release: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build build-release -j $(JOBS)

fuzz: bootstrap
	@scripts/bootstrap --ci
	@cmake --preset fuzz >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

format:
	@clang-format -i $(C_FILES)

format-check:
	@clang-format --dry-run -Werror $(C_FILES)

clean:
	rm -rf build build-asan build-release build-fuzz
