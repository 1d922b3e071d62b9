/*
 * switch.c — switch statements the compiler turns into jump tables (dense
 * ranges), binary decision trees (sparse values), and nested switches in a
 * state machine that tokenises text.  Jump tables are indirect jumps
 * through a table in .rodata: the translator must look each target up.
 */
#include <stdint.h>
#include <stdio.h>

__attribute__((noinline)) static uint32_t
dense(uint32_t v, uint32_t x)
{
	switch (v) {
	case 0: return x + 1;
	case 1: return x * 3;
	case 2: return x ^ 0x5a5a5a5a;
	case 3: return x >> 3;
	case 4: return x << 5;
	case 5: return ~x;
	case 6: return x - 77;
	case 7: return x * x;
	case 8: return x / 3;
	case 9: return x % 1000;
	case 10: return x | 0x100;
	case 11: return x & 0xffff00ff;
	case 12: return x + (x >> 16);
	case 13: return x * 5 + 1;
	case 14: return (x << 1) | (x >> 31);
	case 15: return x - (x >> 2);
	case 16: return x + 12345;
	case 17: return x ^ (x >> 7);
	case 18: return x * 0x9e3779b9u;
	case 19: return x + v;
	default: return x + 7;
	}
}

__attribute__((noinline)) static int
sparse(int v)
{
	switch (v) {
	case -1000: return 1;
	case -7: return 2;
	case 0: return 3;
	case 13: return 4;
	case 100: return 5;
	case 1024: return 6;
	case 4096: return 7;
	case 65535: return 8;
	case 1000000: return 9;
	case 0x7fffffff: return 10;
	default: return 0;
	}
}

__attribute__((noinline)) static const char *
charclass(int c)
{
	switch (c) {
	case '0' ... '9': return "digit";
	case 'a' ... 'z': case 'A' ... 'Z': case '_': return "ident";
	case ' ': case '\t': case '\n': return "space";
	case '+': case '-': case '*': case '/': case '%': case '=': case '<': case '>': return "op";
	case '(': case ')': case '{': case '}': case ';': case ',': return "punct";
	case '"': return "quote";
	default: return "other";
	}
}

/* A tokeniser as a state machine: a switch on state with switches inside. */
static void
tokenise(const char *s, int counts[6])
{
	enum { START, NUM, IDENT, STR, OP } st = START;

	for (;; s++) {
		int c = *s;
		switch (st) {
		case START:
		start:
			switch (c) {
			case 0: return;
			case '0' ... '9': st = NUM; break;
			case 'a' ... 'z': case 'A' ... 'Z': case '_': st = IDENT; break;
			case '"': st = STR; break;
			case ' ': case '\n': case '\t': break;
			default: st = OP; counts[4]++; st = START; break;
			}
			break;
		case NUM:
			if (c >= '0' && c <= '9')
				break;
			counts[0]++;
			st = START;
			goto start;
		case IDENT:
			switch (c) {
			case 'a' ... 'z': case 'A' ... 'Z': case '_': case '0' ... '9': break;
			default: counts[1]++; st = START; goto start;
			}
			break;
		case STR:
			if (c == 0)
				return;
			if (c == '"') {
				counts[2]++;
				st = START;
			}
			break;
		case OP:
			counts[5]++;
			st = START;
			goto start;
		}
	}
}

int
main(void)
{
	uint32_t x = 1, seed = 5;

	for (int i = 0; i < 2000000; i++) {
		seed = seed * 1664525u + 1013904223u;
		x = dense(seed >> 27, x) + (seed & 1);
	}
	printf("dense %08x\n", x);

	int hist[11] = { 0 };
	static const int probes[] = { -1000, -7, 0, 13, 100, 1024, 4096, 65535, 1000000, 0x7fffffff,
				      5, -8, 99, 1025, 65536, -2147483647 - 1 };
	for (int i = 0; i < 160000; i++)
		hist[sparse(probes[i % 16] + (i % 7 == 0))]++;
	for (int i = 0; i < 11; i++)
		printf("%d%c", hist[i], i == 10 ? '\n' : ' ');

	uint32_t ch = 0;
	for (int c = 0; c < 256; c++) {
		const char *k = charclass(c);
		ch = ch * 33 + (uint32_t)k[0] + (uint32_t)k[1];
	}
	printf("charclass %08x\n", ch);

	static const char text[] =
		"int main(void) { int x_1 = 42 + y * (7 - z); printf(\"%d\\n\", x_1); return 0; }\n"
		"for (i = 0; i < 100; i++) s += \"abc\" ; /* comment */ q = a % b >= c;";
	int counts[6] = { 0 };
	for (int rep = 0; rep < 1000; rep++)
		tokenise(text, counts);
	printf("tokens num %d ident %d str %d op %d\n", counts[0], counts[1], counts[2], counts[4]);
	return 0;
}
