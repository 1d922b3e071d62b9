# san.mk — make -f tests/lib/san.mk CC=… FLAGS=…, run by sanobjs
# (tests/lib/san.sh): libkern, libstyx and tests/lib compiled with the
# sanitizers into build/sanobj/, each object again only when its source,
# a header it includes or the compiler and flags changed.
O := build/sanobj
OBJ := $(patsubst %.c,$(O)/%.o,$(wildcard libkern/*.c libstyx/*.c tests/lib/*.c))
all: $(OBJ)
# the compiler and flags of the last build: a change makes every object again
$(O)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(FLAGS)' | cmp -s - $@ || echo '$(CC) $(FLAGS)' >$@
$(O)/%.o: %.c $(O)/flags
	@mkdir -p $(@D)
	$(CC) $(FLAGS) -MMD -MP -c -o $@ $<
FORCE:
.PHONY: all FORCE
-include $(OBJ:.o=.d)
