/*
 * interp.c — a small language: a recursive-descent compiler turns source
 * text with variables, arithmetic, comparisons, if and while into stack
 * bytecode, and a switch-dispatched virtual machine runs it.  The test
 * programs print through the VM; the output is the test.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, EQ, NOT, JMP, JZ, PRINT, HALT };

typedef struct {
	const char *s;
	int32_t code[4096];
	int n;
	char names[26];
	int err;
} Comp;

static void
skip(Comp *c)
{
	while (*c->s == ' ' || *c->s == '\n' || *c->s == '\t')
		c->s++;
}

static int
accept(Comp *c, const char *tok)
{
	skip(c);
	size_t n = strlen(tok);
	if (strncmp(c->s, tok, n) == 0) {
		c->s += n;
		return 1;
	}
	return 0;
}

static void
emit(Comp *c, int32_t v)
{
	if (c->n < 4096)
		c->code[c->n++] = v;
	else
		c->err = 1;
}

static void expr(Comp *c);

static void
primary(Comp *c)
{
	skip(c);
	if (*c->s >= '0' && *c->s <= '9') {
		emit(c, PUSH);
		emit(c, (int32_t)strtol(c->s, (char **)&c->s, 10));
	} else if (*c->s >= 'a' && *c->s <= 'z') {
		emit(c, LOAD);
		emit(c, *c->s++ - 'a');
	} else if (accept(c, "(")) {
		expr(c);
		if (!accept(c, ")"))
			c->err = 1;
	} else if (accept(c, "!")) {
		primary(c);
		emit(c, NOT);
	} else
		c->err = 1;
}

static void
term(Comp *c)
{
	primary(c);
	for (;;) {
		if (accept(c, "*")) { primary(c); emit(c, MUL); }
		else if (accept(c, "/")) { primary(c); emit(c, DIV); }
		else if (accept(c, "%")) { primary(c); emit(c, MOD); }
		else return;
	}
}

static void
sum(Comp *c)
{
	term(c);
	for (;;) {
		if (accept(c, "+")) { term(c); emit(c, ADD); }
		else if (accept(c, "-")) { term(c); emit(c, SUB); }
		else return;
	}
}

static void
expr(Comp *c)
{
	sum(c);
	if (accept(c, "<")) { sum(c); emit(c, LT); }
	else if (accept(c, "==")) { sum(c); emit(c, EQ); }
}

static void
stmt(Comp *c)
{
	skip(c);
	if (accept(c, "while")) {
		int top = c->n;
		expr(c);
		emit(c, JZ);
		int fix = c->n;
		emit(c, 0);
		stmt(c);
		emit(c, JMP);
		emit(c, top);
		c->code[fix] = c->n;
	} else if (accept(c, "if")) {
		expr(c);
		emit(c, JZ);
		int fix = c->n;
		emit(c, 0);
		stmt(c);
		if (accept(c, "else")) {
			emit(c, JMP);
			int fix2 = c->n;
			emit(c, 0);
			c->code[fix] = c->n;
			stmt(c);
			c->code[fix2] = c->n;
		} else
			c->code[fix] = c->n;
	} else if (accept(c, "{")) {
		while (!accept(c, "}") && !c->err && *c->s)
			stmt(c);
	} else if (accept(c, "print")) {
		expr(c);
		emit(c, PRINT);
		accept(c, ";");
	} else if (*c->s >= 'a' && *c->s <= 'z') {
		int v = *c->s++ - 'a';
		if (!accept(c, "="))
			c->err = 1;
		expr(c);
		emit(c, STORE);
		emit(c, v);
		accept(c, ";");
	} else
		c->err = 1;
}

static long
run(const int32_t *code, uint32_t *outsum)
{
	int32_t stack[256], var[26] = { 0 };
	int sp = 0, pc = 0;
	long steps = 0;

	for (;; steps++) {
		int32_t a, b;
		switch (code[pc++]) {
		case PUSH: stack[sp++] = code[pc++]; break;
		case LOAD: stack[sp++] = var[code[pc++]]; break;
		case STORE: var[code[pc++]] = stack[--sp]; break;
		case ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a + (uint32_t)b); break;
		case SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a - (uint32_t)b); break;
		case MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = (int32_t)((uint32_t)a * (uint32_t)b); break;
		case DIV: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b && !(b == -1) ? a / b : 0; break;
		case MOD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b && !(b == -1) ? a % b : 0; break;
		case LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
		case EQ: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a == b; break;
		case NOT: stack[sp - 1] = !stack[sp - 1]; break;
		case JMP: pc = code[pc]; break;
		case JZ: pc = stack[--sp] ? pc + 1 : code[pc]; break;
		case PRINT:
			a = stack[--sp];
			*outsum = *outsum * 31 + (uint32_t)a;
			if (*outsum % 8 == 0)
				printf(" %d", a);
			break;
		case HALT: return steps;
		default: return -1;
		}
	}
}

static const char *progs[] = {
	/* primes below 3000 */
	"n = 2; while n < 3000 { d = 2; p = 1; while d * d < n + 1 { if n % d == 0 p = 0; d = d + 1 } if p print n; n = n + 1 }",
	/* Collatz lengths */
	"s = 1; while s < 2000 { x = s; c = 0; while !(x == 1) { if x % 2 == 0 x = x / 2; else x = 3 * x + 1; c = c + 1 } print c; s = s + 1 }",
	/* gcd table */
	"a = 1; while a < 60 { b = 1; while b < 60 { x = a; y = b; while !(y == 0) { t = x % y; x = y; y = t } print x * 100 + a; b = b + 1 } a = a + 1 }",
	/* multiplicative hash that overflows */
	"h = 7; i = 0; while i < 100000 { h = h * 31 + i; i = i + 1 } print h;",
};

int
main(void)
{
	for (unsigned k = 0; k < sizeof progs / sizeof progs[0]; k++) {
		static Comp c;
		memset(&c, 0, sizeof c);
		c.s = progs[k];
		while (*c.s && !c.err) {
			stmt(&c);
			skip(&c);
		}
		emit(&c, HALT);
		uint32_t out = 0;
		printf("prog %u:", k);
		long steps = c.err ? -2 : run(c.code, &out);
		printf("\nprog %u: %d words, %ld steps, output %08x\n", k, c.n, steps, out);
	}
	return 0;
}
