# claw: guardrails for AI agents that run shell commands.
# GNU make. Out-of-tree: everything built goes under $(BUILD) (default build/).

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
SHAREDIR  ?= $(PREFIX)/share
MANDIR    ?= $(SHAREDIR)/man
# systemd's user units (claw-serve.socket), as systemd --user looks for them
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
BASHCOMPDIR ?= $(SHAREDIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(SHAREDIR)/zsh/site-functions
DESTDIR   ?=
BUILD     ?= build
# OpenClaw from npm for the tests against it, never linked or installed.
OPENCLAW_VERSION = 2026.9.6
OPENCLAW_NODE    = 26.10.0
OPENCLAW_DIR    ?= $(BUILD)/openclaw
ASAN_BUILD = build-asan
FUZZ_BUILD = build-fuzz
FUZZ_SECONDS ?= 60
# The differential test runs OpenClaw itself (npm), never linked or installed.
OPENCLAW_VERSION = 2026.9.6
OPENCLAW_NODE    = 26.10.0
OPENCLAW_DIR    ?= $(BUILD)/openclaw
DIFFER_FLAGS    ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
PKGS       = libcjson libcurl libseccomp libcrypto
DEBS       = libcjson-dev libcurl4-openssl-dev libseccomp-dev libssl-dev pkg-config \
             bats bats-support bats-assert scdoc python3 jq
BENCH_DEBS = bubblewrap hyperfine jq time bc
VM_DEBS    = qemu-system-x86 debootstrap e2fsprogs
FUZZ_DEBS  = clang libclang-rt-14-dev

# pkg-config once per make, not once per compile. (A fresh machine has none
# of this until `deps`; check and demo build in a sub-make, after it.)
PKG_CFLAGS        := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS_CJSON    := $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null)
PKG_LIBS_CRYPTO   := $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null)
PKG_LIBS_SECCOMP  := $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null)

WARN     = -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
HARDEN   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE -fstack-clash-protection
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(CFLAGS) -MMD -MP -Ilib \
             -DCLAW_VERSION='"$(VERSION)"' -DCLAW_SHAREDIR='"$(SHAREDIR)/claw"' \
             $(PKG_CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(LDFLAGS)
# cJSON is linked as usual. libcrypto's SHA-256 is linked in statically and
# libcurl is loaded only when a chat target needs it (lib/core/hash.c, lib/ask/http.c
# say why: start-up time). libseccomp compiles the filter at build time.
LIBS     = $(PKG_LIBS_CJSON) -Wl,-Bstatic $(PKG_LIBS_CRYPTO) -Wl,-Bdynamic -ldl -pthread

ifeq ($(SANITIZE),1)
CFLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
HARDEN   = -fPIE
LDFLAGS  = -fsanitize=address,undefined
endif

LIB_SRC  = $(sort $(wildcard lib/*/*.c))
CMD_SRC  = $(sort $(wildcard cmd/claw-*.c))
PROBE_SRC = $(sort $(wildcard t/probes/*.c))
UNIT_SRC = $(sort $(wildcard t/unit/*.c))
FUZZ_SRC = $(sort $(wildcard t/fuzz/*.c))
MAN_SRC  = $(sort $(wildcard man/*.scd))
PRESETS  = $(filter-out %.claw.json5,$(sort $(wildcard share/claw/presets/*.json5)))
PRESET_CLAW = $(sort $(wildcard share/claw/presets/*.claw.json5))
PRESET_APPROVALS = $(sort $(wildcard share/claw/presets/*.approvals.json))
PLUGIN_FILES = share/claw/openclaw-plugin/package.json share/claw/openclaw-plugin/openclaw.plugin.json \
               share/claw/openclaw-plugin/index.js share/claw/openclaw-plugin/decider.js

LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/presets.o \
           $(BUILD)/obj/gen/sysfilter-bpf.o
CMDS     = $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%) $(BUILD)/bin/claw
PROBES   = $(PROBE_SRC:t/probes/%.c=$(BUILD)/t/probes/%)
UNITS    = $(UNIT_SRC:t/unit/%.c=$(BUILD)/t/unit/%)
MANS     = $(MAN_SRC:man/%.scd=$(BUILD)/man/%)

.PHONY: all deps bench-deps fuzz-deps vm-deps check check-vm test test-quick demo man man-models \
	install uninstall fuzz bench clean layers lint format openclaw check-openclaw check-openclaw-config \
	check-openclaw-plugin
.DELETE_ON_ERROR:
# Nothing built is an intermediate to delete: a second `make` relinks nothing.
.SECONDARY:

all: $(CMDS) $(PROBES) $(UNITS) $(BUILD)/t/fakedocker

# Quiet unless V=1.
Q = $(if $(V),,@)
E = $(if $(V),@:,@echo)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# The presets are embedded, so a new installation is secure with no file at all.
$(BUILD)/gen/presets.c: $(PRESETS) $(PRESET_CLAW) share/claw/embed.sh
	@mkdir -p $(@D)
	$(E) "  GEN     $@"
	$(Q)sh share/claw/embed.sh $(PRESETS) > $@

$(BUILD)/obj/gen/presets.o: $(BUILD)/gen/presets.c
	@mkdir -p $(@D)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# The sandbox's seccomp filter is compiled by libseccomp at build time, not per run.
$(BUILD)/gen/sysfilter-gen: share/claw/sysfilter-gen.c lib/native/sysfilter.c lib/core/util.c lib/native/sysfilter.h
	@mkdir -p $(@D)
	$(E) "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) share/claw/sysfilter-gen.c lib/native/sysfilter.c \
		lib/core/util.c -o $@ $(PKG_LIBS_SECCOMP)

$(BUILD)/gen/sysfilter-bpf.c: $(BUILD)/gen/sysfilter-gen
	$(E) "  GEN     $@"
	$(Q)$(BUILD)/gen/sysfilter-gen > $@

$(BUILD)/obj/gen/sysfilter-bpf.o: $(BUILD)/gen/sysfilter-bpf.c
	@mkdir -p $(@D)
	$(E) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libclaw.a: $(LIB_OBJ)
	@rm -f $@
	$(E) "  AR      $@"
	$(Q)$(AR) rcs $@ $^

$(BUILD)/bin/claw-%: $(BUILD)/obj/cmd/claw-%.o $(BUILD)/libclaw.a
	@mkdir -p $(@D)
	$(E) "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) $< $(BUILD)/libclaw.a $(LIBS) -o $@

$(BUILD)/bin/claw: cmd/claw
	@mkdir -p $(@D)
	$(E) "  GEN     $@"
	$(Q)sed -e 's/@VERSION@/$(VERSION)/g' -e 's|@SHAREDIR@|$(SHAREDIR)/claw|g' cmd/claw > $@
	$(Q)chmod 755 $@

# Probes are small programs the escape tests run inside the sandbox.
# They are static where possible so they need nothing from the sandbox's /usr.
$(BUILD)/t/probes/%: t/probes/%.c
	@mkdir -p $(@D)
	$(E) "  CC      $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra $< -o $@ $(PKG_LIBS_SECCOMP)

# The docker tests' stand-in for docker and podman (t/fakedocker.c says why it
# is C). A test tool, not claw: built as the probes are, without sanitizers.
$(BUILD)/t/fakedocker: t/fakedocker.c
	@mkdir -p $(@D)
	$(E) "  CC      $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra $(PKG_CFLAGS) $< -o $@ $(PKG_LIBS_CJSON)

# Unit tests of the library that no command can reach key by key (t/schema.bats runs them).
$(BUILD)/t/unit/%: $(BUILD)/obj/t/unit/%.o $(BUILD)/libclaw.a
	@mkdir -p $(@D)
	$(E) "  LD      $@"
	$(Q)$(CC) $(ALL_LDFLAGS) $< $(BUILD)/libclaw.a $(LIBS) -o $@

$(BUILD)/man/%: man/%.scd
	@mkdir -p $(@D)
	$(E) "  SCDOC   $<"
	$(Q)scdoc < $< > $@

man: $(MANS)

# claw-approve(1)'s list of models is written from the tables themselves
# (lib/approve/models.c, model-git.c), between its "; models:" lines.
man-models: $(BUILD)/bin/claw-approve
	$(Q)$(BUILD)/bin/claw-approve models --scdoc > $(BUILD)/models.scd
	$(Q)awk -v gen=$(BUILD)/models.scd '/^; models: generated/ { print; \
		while ((getline l < gen) > 0) print l; skip = 1; next } \
		/^; models: end/ { skip = 0 } !skip' man/claw-approve.1.scd > $(BUILD)/claw-approve.1.scd
	$(Q)mv $(BUILD)/claw-approve.1.scd man/claw-approve.1.scd

deps:
	@missing=""; for p in $(DEBS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
			|| missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

bench-deps:
	@$(MAKE) --no-print-directory deps DEBS="$(BENCH_DEBS)"

vm-deps:
	@$(MAKE) --no-print-directory deps DEBS="$(VM_DEBS)"

# The tests that need systemd as PID 1 and a delegated cgroup v2 subtree, in a Debian 12
# VM (t/vm/run; not part of check: it needs KVM and, once, the Debian mirror).
check-vm: vm-deps all
	VM_DIR=$(abspath build-vm) t/vm/run

# Test files run side by side when GNU parallel is there (bats needs it for
# --jobs); each test has its own state dir, so files do not meet.
BATS_JOBS  := $(if $(shell command -v parallel 2>/dev/null),--jobs $(shell nproc) --no-parallelize-within-files)
# The slow tier: what the quick one leaves out (a developer's run every few minutes).
SLOW_TESTS  = t/sandbox-escape.bats t/ask.bats t/docker.bats t/limits.bats t/guard-answer.bats \
	      t/hook-openclaw.bats
QUICK_TESTS = $(filter-out $(SLOW_TESTS),$(sort $(wildcard t/*.bats)))

test: all man
	CLAW_BIN=$(abspath $(BUILD))/bin CLAW_PROBES=$(abspath $(BUILD))/t/probes \
		bats $(BATS_JOBS) $(BATS_FLAGS) t/

test-quick: all
	CLAW_BIN=$(abspath $(BUILD))/bin CLAW_PROBES=$(abspath $(BUILD))/t/probes \
		bats $(BATS_JOBS) $(BATS_FLAGS) $(QUICK_TESTS)

check: deps
	$(MAKE) all man
	$(MAKE) test
	$(MAKE) BUILD=$(ASAN_BUILD) SANITIZE=1 all
	CLAW_BIN=$(abspath $(ASAN_BUILD))/bin CLAW_PROBES=$(abspath $(ASAN_BUILD))/t/probes \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		bats $(BATS_JOBS) $(BATS_FLAGS) t/

# OpenClaw from npm, into $(OPENCLAW_DIR); skipped with a message when it cannot be had.
openclaw:
	@sh t/openclaw/install.sh $(OPENCLAW_DIR) $(OPENCLAW_VERSION) $(OPENCLAW_NODE); \
	rc=$$?; [ $$rc -eq 3 ] && exit 0; exit $$rc

# claw against OpenClaw on generated cases: fails on any case where claw is looser.
check-openclaw: all
	@sh t/openclaw/install.sh $(OPENCLAW_DIR) $(OPENCLAW_VERSION) $(OPENCLAW_NODE); \
	rc=$$?; [ $$rc -eq 3 ] && exit 0; [ $$rc -eq 0 ] || exit $$rc; \
	python3 t/openclaw/differ.py --claw-bin $(abspath $(BUILD))/bin \
		--openclaw $(abspath $(OPENCLAW_DIR)) $(DIFFER_FLAGS)

# claw's configs against OpenClaw's own validator: every preset as claw init writes it
# and every config example of README and the man pages pass `openclaw config validate`,
# and lib/core/schema-oc.c is what share/claw/schema-gen makes from that OpenClaw.
check-openclaw-config: all
	@sh t/openclaw/install.sh $(OPENCLAW_DIR) $(OPENCLAW_VERSION) $(OPENCLAW_NODE); \
	rc=$$?; [ $$rc -eq 3 ] && exit 0; [ $$rc -eq 0 ] || exit $$rc; \
	python3 t/openclaw/config-examples.py --claw-bin $(abspath $(BUILD))/bin \
		--openclaw $(abspath $(OPENCLAW_DIR)); rc=$$?; [ $$rc -eq 3 ] && exit 0; exit $$rc

# The OpenClaw plugin under the real OpenClaw: loaded, inspected, driven by its hook runner.
check-openclaw-plugin: all
	@sh t/openclaw/install.sh $(OPENCLAW_DIR) $(OPENCLAW_VERSION) $(OPENCLAW_NODE); \
	rc=$$?; [ $$rc -eq 3 ] && exit 0; [ $$rc -eq 0 ] || exit $$rc; \
	CLAW_BIN=$(abspath $(BUILD))/bin OPENCLAW_DIR=$(abspath $(OPENCLAW_DIR)) \
		bats $(BATS_FLAGS) t/plugin/openclaw.bats

demo: deps
	$(MAKE) all
	CLAW_BIN=$(abspath $(BUILD))/bin sh t/demo.sh

fuzz-deps:
	@$(MAKE) --no-print-directory deps DEBS="$(FUZZ_DEBS)"

fuzz: fuzz-deps
	@for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); \
		$(MAKE) --no-print-directory $(FUZZ_BUILD)/$$n || exit 1; \
		mkdir -p $(FUZZ_BUILD)/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		$(FUZZ_BUILD)/$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 -close_fd_mask=2 \
			$(FUZZ_BUILD)/corpus/$$n t/fuzz/corpus/$$n || exit 1; \
	done

$(FUZZ_BUILD)/%: t/fuzz/%.c $(LIB_SRC) $(BUILD)/gen/presets.c $(BUILD)/gen/sysfilter-bpf.c
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Ilib \
		-DCLAW_VERSION='"$(VERSION)"' -DCLAW_SHAREDIR='"$(SHAREDIR)/claw"' \
		$< $(LIB_SRC) $(BUILD)/gen/presets.c $(BUILD)/gen/sysfilter-bpf.c $(LIBS) \
		$(PKG_LIBS_SECCOMP) -o $@

bench: bench-deps all
	@for b in t/bench/*; do [ -x "$$b" ] || continue; \
		echo "== $$b"; CLAW_BIN=$(abspath $(BUILD))/bin "$$b" || exit 1; done

install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(SHAREDIR)/claw/presets \
		$(DESTDIR)$(SHAREDIR)/claw/openclaw-plugin
	install -m 755 $(CMDS) $(DESTDIR)$(BINDIR)/
	for m in $(MANS); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 $(PRESETS) $(PRESET_CLAW) $(PRESET_APPROVALS) $(DESTDIR)$(SHAREDIR)/claw/presets/
	install -m 644 $(PLUGIN_FILES) $(DESTDIR)$(SHAREDIR)/claw/openclaw-plugin/
	install -d $(DESTDIR)$(USERUNITDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 share/claw/systemd/claw-serve.socket $(DESTDIR)$(USERUNITDIR)/
	sed 's|@BINDIR@|$(BINDIR)|g' share/claw/systemd/claw-serve@.service \
		>$(DESTDIR)$(USERUNITDIR)/claw-serve@.service
	chmod 644 $(DESTDIR)$(USERUNITDIR)/claw-serve@.service
	install -m 644 share/claw/completions/claw.bash $(DESTDIR)$(BASHCOMPDIR)/claw
	for c in $(filter-out claw,$(notdir $(CMDS))); do \
		ln -sf claw $(DESTDIR)$(BASHCOMPDIR)/$$c; done
	install -m 644 share/claw/completions/_claw $(DESTDIR)$(ZSHCOMPDIR)/_claw

uninstall:
	for c in $(notdir $(CMDS)); do rm -f $(DESTDIR)$(BINDIR)/$$c; done
	for m in $(notdir $(MANS)); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$$m; done
	rm -rf $(DESTDIR)$(SHAREDIR)/claw
	rm -f $(DESTDIR)$(USERUNITDIR)/claw-serve.socket $(DESTDIR)$(USERUNITDIR)/claw-serve@.service
	for c in $(notdir $(CMDS)); do rm -f $(DESTDIR)$(BASHCOMPDIR)/$$c; done
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_claw

# The include rules of lib/ (README, Development): stage folders in order, no cycles.
layers:
	@t/layers

lint: layers
	@cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --inline-suppr --suppress=missingIncludeSystem -Ilib lib cmd
	@clang-tidy --quiet $(LIB_SRC) $(CMD_SRC) -- -std=c11 -D_GNU_SOURCE -Ilib \
		-DCLAW_VERSION='"$(VERSION)"' -DCLAW_SHAREDIR='"x"' 2>/dev/null | \
		{ ! grep -E 'warning:|error:'; }

format:
	clang-format -i $(LIB_SRC) $(wildcard lib/*/*.h) $(CMD_SRC) $(PROBE_SRC) $(FUZZ_SRC) t/fakedocker.c

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
