# vxinferno — top-level build.  Objects go to build/; nothing generated is
# committed.  Each folder is one library or program; sources are found by
# wildcard so adding a file needs no edit here.

CC      ?= cc
B       := build
CFLAGS  ?= -O2 -g
XCFLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -MMD -MP
ASFLAGS := -g
LDLIBS  := -lpthread
SAN     ?=
# bin/vxinferno and build/vxhost are linked statically (not under the
# sanitizers, which need the dynamic loader): on a virtual machine where
# every page touched and every system call is expensive, ld.so's mapping
# of libc and its relocations were about a sixth of an empty guest's start
# (doc/bench.md, "Start-up").  The linker's warnings that getpwuid,
# getgrgid_r and getaddrinfo need glibc's NSS modules at run time are
# expected: the files and dns sources are built into this libc.
HOSTSTATIC := $(if $(SAN),,-static)
# Guest programs: 32-bit static executables against Debian's glibc.
GCC32   := gcc -m32 -static -fno-pie -no-pie

# The prerequisites (Debian packages, the fetched i386 packages) are
# complete before anything compiles, also under -j: `all` runs them, then
# builds everything in a second make.
all: prereq
	@$(MAKE) --no-print-directory everything

everything: libs bin/vxinferno guests benches root

.PHONY: all everything prereq libs test units bench clean guests benches root fuzz-long fuzz-warm fuzz-styx fuzz-campaign i386root testobjs sanobj fuzzobj

prereq:
	@sh mk/prereq.sh
	@sh mk/fetch.sh $(B) || echo "warning: Debian i386 packages not fetched; busybox tests and zlib/bzip2 benchmarks are skipped" >&2

# --- libraries -----------------------------------------------------------
define lib
$(1)_SRC := $$(wildcard $(1)/*.c $(1)/amd64/*.c)
$(1)_ASM := $$(wildcard $(1)/amd64/*.S)
$(1)_OBJ := $$(patsubst %.c,$(B)/%.o,$$($(1)_SRC)) $$(patsubst %.S,$(B)/%.o,$$($(1)_ASM))
$(B)/$(1).a: $$($(1)_OBJ)
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
endef
LIBS := libvx libkern libstyx vxrun
$(foreach l,$(LIBS),$(eval $(call lib,$(l))))
LIBA := $(B)/vxrun.a $(B)/libkern.a $(B)/libstyx.a $(B)/libvx.a
libs: $(LIBA)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XCFLAGS) $(SAN) -c -o $@ $<
$(B)/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(ASFLAGS) -Iinclude -Ilibvx -c -o $@ $<

# --- the command -----------------------------------------------------------
bin/vxinferno: $(B)/cmd/vxinferno.o $(B)/cmd/tcdir.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(SAN) $(HOSTSTATIC) -o $@ $^ $(LDLIBS)

# --- tests ---------------------------------------------------------------
# tests/unit/NAME.c -> build/t/NAME.t (TAP programs linked with every library)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_T   := $(patsubst tests/unit/%.c,$(B)/t/%.t,$(UNIT_SRC))
# tests/lib/*.c: TAP output (tap.c), the fake 9P servers' parts (fake9p.c)
TESTLIB_O := $(patsubst tests/lib/%.c,$(B)/tests/lib/%.o,$(wildcard tests/lib/*.c))
# kept, or make would delete them as intermediates and relink every test
.SECONDARY: $(TESTLIB_O) $(patsubst tests/unit/%.c,$(B)/tests/unit/%.o,$(UNIT_SRC))
$(B)/t/%.t: $(B)/tests/unit/%.o $(TESTLIB_O) $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)
$(B)/tests/lib/%.o: tests/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XCFLAGS) -Itests/lib $(SAN) -c -o $@ $<
$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XCFLAGS) -Itests/lib -Ilibvx -Ilibkern -Ilibstyx -Ivxrun $(SAN) -c -o $@ $<

# tests/host/*.c -> build/vxhost: the minimal test host for guest programs
HOST_SRC := $(wildcard tests/host/*.c)
$(B)/vxhost: $(patsubst %.c,$(B)/%.o,$(HOST_SRC)) $(LIBA)
	$(CC) $(SAN) $(HOSTSTATIC) -o $@ $^ $(LDLIBS)

# Guest programs: tests/guest/NAME.c -> build/guest/NAME.O0 and NAME.O2
GUEST_SRC := $(wildcard tests/guest/*.c)
GUEST_BIN := $(foreach s,$(GUEST_SRC),$(patsubst tests/guest/%.c,$(B)/guest/%.O0,$(s)) $(patsubst tests/guest/%.c,$(B)/guest/%.O2,$(s)))
HOSTILE_SRC := $(wildcard tests/hostile/*.c tests/hostile/*.S)
HOSTILE_BIN := $(patsubst tests/hostile/%,$(B)/hostile/%,$(basename $(HOSTILE_SRC)))
$(B)/guest/%.O0: tests/guest/%.c
	@mkdir -p $(@D)
	$(GCC32) -O0 -o $@ $< -lm
$(B)/guest/%.O2: tests/guest/%.c
	@mkdir -p $(@D)
	$(GCC32) -O2 -o $@ $< -lm
$(B)/hostile/%: tests/hostile/%.c
	@mkdir -p $(@D)
	$(GCC32) -O1 -o $@ $<
$(B)/hostile/%: tests/hostile/%.S
	@mkdir -p $(@D)
	$(GCC32) -nostdlib -o $@ $<
# tests/tools/NAME.c -> build/NAME: small host programs the tests use
$(B)/vxengines: $(B)/tests/tools/vxengines.o $(B)/libvx.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS)
$(B)/noldt: $(B)/tests/tools/noldt.o
	$(CC) $(SAN) -o $@ $^
$(B)/tcmut: tests/tools/tcmut.c libvx/tcache.h libvx/validate.c
	$(CC) $(CFLAGS) $(XCFLAGS) -Ilibvx -o $@ tests/tools/tcmut.c libvx/validate.c
$(B)/tckey: tests/tools/tckey.c libvx/tcache.h
	$(CC) $(CFLAGS) $(XCFLAGS) -Ilibvx -o $@ tests/tools/tckey.c

# i386probe: exits 42 where the host executes i386 code (never run by make)
$(B)/i386probe: tests/tools/i386probe.S
	$(GCC32) -nostdlib -o $@ $<

guests: $(GUEST_BIN) $(HOSTILE_BIN) $(B)/vxhost $(B)/vxengines $(B)/noldt $(B)/i386probe $(B)/tcmut $(B)/tckey

# --- benchmarks ----------------------------------------------------------
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))
$(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(GCC32) -O2 -I$(B)/deb/usr/include -o $@ $< -L$(B)/deb/usr/lib/i386-linux-gnu $(BENCH_LIBS_$*) -lm
BENCH_LIBS_zlib  := -lz
BENCH_LIBS_bzip2 := -lbz2
benches: $(BENCH_BIN)

# --- the embedded root ---------------------------------------------------
# root.sh lists busybox's applets by running it in our own sandbox, so the
# sandbox is built first.
root: $(B)/vxhost bin/vxinferno
	@sh mk/root.sh $(B)

# Unit tests that make sandboxes (they call vx_new) run once per engine,
# through tests/engine_unit.t; the others run as they are.
units: $(UNIT_T)
ENGINE_UNIT := $(patsubst tests/unit/%.c,$(B)/t/%.t,$(shell grep -Lw ENGINES-IN-ONE-RUN $$(grep -lw vx_new $(UNIT_SRC))))
# A Debian i386 root for tests/userland*.t and the userland benchmarks
# (mk/i386root.sh; cached).  Without the package registry the tests say
# why they skip (build/i386root.err) and nothing fails here.
I386PKGS := gzip bzip2 xz-utils python3 perl sqlite3 coreutils tar findutils \
	flac vorbis-tools libjpeg-turbo-progs gcc libc6-dev make bash git \
	grep sed gawk diffutils patch cpio \
	openssl lua5.4 tcl8.6 bc jq file zstd lz4 xxd zip unzip \
	pcre2-utils luajit nodejs ripgrep gojq ruby gpg curl \
	libpython3.11-testsuite php8.2-cli imagemagick rsync pigz pbzip2 7zip tcc \
	m4 bison flex vim-tiny groff-base ed stress-ng procps psmisc screen util-linux \
	inotify-tools netbase
i386root:
	@mkdir -p $(B)	# (make -j: all may not have made it yet)
	@sh mk/i386root.sh $(B)/i386root $(I386PKGS) 2>$(B)/i386root.err && rm -f $(B)/i386root.err || \
		{ cat $(B)/i386root.err >&2; echo "i386root: not built; tests/userland.t will be skipped" >&2; }

# Tests run with the in-memory translation cache (VXCACHE=memory: a
# program's later runs, forks and threads in one vxinferno take what the
# earlier ones translated), not the persistent one users have by default
# (since session 25) unless VXCACHE names one (tests/vxinferno_tcache.t
# makes its own, and runs the default with its own HOME): a test never
# sees another's translations, nor the user's cache, and writes nothing
# in HOME (tests/lib/engines.sh sets the same for a test run without
# make).  (Off, as before session 21, a quadratic layout of cc1's
# translations that made a build in the sandbox 8x slower went unseen.)  Descriptors 3-9 are
# closed for the tests: a reference run on the host inherits what make
# was started with (`time -o FILE make test`, a jobserver's pipe) and a
# guest does not, so the fd numbers the two print would differ.
# Each file's output is kept in $(B)/tlog (mk/tlog.sh); when the run
# fails, mk/tfail.sh repeats the failing files' not ok lines and their
# diagnostics at the end, where a CI log's tail shows them.
# The build before the tests runs three jobs at once unless make was
# given -j (CI runs a bare `make test`): the i386 root, named first so
# that make starts it at once, and two compiling beside it.  Named last,
# it started only when every compile had been started, after them
# rather than beside them (on a clean clone its download and unpacking
# took as long again as the compiling).  Its download waits on the
# network, so a third job keeps both cores compiling meanwhile.  Last,
# what the sanitizer and fuzzing tests would otherwise compile while
# the tests run (sanobjs, tests/fuzz_styx/build.sh): here they take the
# cores the compiling leaves while the root is still unpacking.
VXCACHE ?= memory
# test files run at once (prove -j): one more than the 2 cores CI has,
# since many files wait (timeouts, a reference's pipes, sleeps of the
# guests they test) more than they compute: measured on 2 cores, prove's
# wall time 357 s with 2, 260 s with 3, the same CPU (doc/testing.md).
# The fuzzers that run for a fixed time (styx_fuzz.t, styx_attack.t)
# then get a third less of a core.
TJOBS ?= 3
TESTJOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j3)
test: prereq
	@$(MAKE) $(TESTJOBS) --no-print-directory i386root everything units testobjs
	@rm -rf $(B)/tlog && mkdir -p $(B)/tlog
	VXCACHE=$(VXCACHE) TLOG=$(B)/tlog prove -j$(TJOBS) --timer -e 'bash mk/tlog.sh' $(TORDER) \
		3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- || sh mk/tfail.sh $(B)/tlog
# prove -j2 runs the files in this order: the ones that take longest
# first (wall seconds from mk/tcost.sh), so that the run does not end
# with one long file alone on a core while the other idles; the three
# sanitizer files (tests/lib/san.sh builds their objects under a lock)
# apart.  The rest follow in their usual order.
TSLOW := tests/userland.t tests/userland_more.t tests/styx_fuzz.t tests/kern_san.t \
	tests/userland_runtimes.t tests/userland_tools.t tests/styx_attack.t tests/vxinferno_proc.t build/t/decode.t \
	tests/userland_cc.t tests/vxinferno_hostile.t tests/hostile.t tests/styx_san.t \
	tests/sysfuzz.t tests/vxinferno_gaps.t tests/vxinferno_tcache.t tests/diff.t
TFILES := $(filter-out $(ENGINE_UNIT),$(UNIT_T)) $(wildcard tests/*.t)
TORDER := $(filter $(TFILES),$(TSLOW)) $(filter-out $(TSLOW),$(TFILES))

# The objects tests/kern_san.t, styx_san.t and styx_attack.t share, and
# styx_fuzz.t's fuzz targets, ahead of the tests.  Quiet and never an
# error here: each test builds them again if they are missing or stale
# (a no-op when they are not) and reports what failed.
testobjs: sanobj fuzzobj
sanobj:
	@sh -c '. tests/lib/san.sh && sanobjs /dev/null' >/dev/null 2>&1 || true
fuzzobj:
	@sh tests/fuzz_styx/build.sh >/dev/null 2>&1 || true

bench: all i386root
	sh bench/run.sh $(B)

# The random-instruction fuzzer, long run: ITER programs (default 100),
# each on every engine the host runs.
fuzz-long: all
	sh tests/fuzz/long.sh $(ITER)

# The fuzzer's programs run the ways warm code is reached (tests/fuzz/warm.sh).
fuzz-warm: all
	sh tests/fuzz/warm.sh $(ITER)

# The stateful 9P fuzzer against the export, under ASan (SECS seconds, default 600).
fuzz-styx: libs
	FUZZ_SECS=$(or $(SECS),600) sh tests/styx_attack.t

# Long fuzzing of the 9P server and client, the codec, the system calls
# and the translator, one target after another, FUZZTIME seconds each
# (default 1200); FUZZTARGETS picks some (tests/fuzz/campaign.sh).
fuzz-campaign: libs
	sh tests/fuzz/campaign.sh -t $(or $(FUZZTIME),1200) $(FUZZTARGETS)

clean:
	rm -rf $(B) bin

-include $(shell find $(B) \( -path $(B)/deb -o -path '$(B)/i386root*' \) -prune -o -name '*.d' -type f -print 2>/dev/null)
