# INR Studio. `make demo` and `make test` are the two set-up commands of the README.
GO        ?= go
BIN       := bin
INR       := $(BIN)/inr
PKGS      := ./...
# Xvfb wraps the tests when present, so the viewer's tests get a display.
XVFB      := $(shell command -v xvfb-run >/dev/null 2>&1 && echo "xvfb-run -a -s '-screen 0 1280x1024x24'")

.PHONY: all deps deps-bench build build-viewer test demo bench bench-kernel bench-fit bench-quality bench-quality-long bench-pinn bench-pinn-quality lint clean

all: build

deps:
	@scripts/deps.sh test

deps-bench:
	@scripts/deps.sh bench

build:
	@mkdir -p $(BIN)
	CGO_ENABLED=0 $(GO) build -o $(INR) ./cmd/inr

# The desktop viewer needs cgo and the X headers (scripts/deps.sh installs them).
build-viewer: deps
	@mkdir -p $(BIN)
	CGO_ENABLED=1 $(GO) build -o $(BIN)/inr-view ./cmd/inr-view

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags noviewer $(PKGS)
	$(GO) vet ./render/viewer/... ./cmd/inr-view

test: deps build build-viewer lint
	$(XVFB) $(GO) test -timeout 14m $(PKGS)

demo: deps build
	@scripts/demo.sh $(INR)

# Benchmarks: each prints its table with the peer figures measured in the same run.
bench: bench-kernel bench-fit bench-pinn bench-quality bench-pinn-quality

bench-kernel: deps-bench
	scripts/bench-kernel.sh

bench-fit: deps-bench build
	scripts/bench-fit.sh $(INR)

bench-quality: build
	scripts/bench-quality.sh $(INR)

bench-quality-long: build
	scripts/bench-quality-long.sh $(INR)

bench-pinn: deps-bench build
	scripts/bench-pinn.sh $(INR)

bench-pinn-quality: deps-bench build
	scripts/bench-pinn-quality.sh $(INR)

clean:
	rm -rf $(BIN)
