/*
 * fnptr.c — indirect control flow: tables of function pointers, callbacks
 * through qsort-like generic code, a vtable-style dispatch, calls through
 * pointers computed at run time, GNU computed goto, and returns to many
 * distinct call sites (exercising return prediction in a translator).
 */
#include <stdint.h>
#include <stdio.h>

typedef uint32_t (*Op)(uint32_t, uint32_t);

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * b | 1; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ (b << 3); }
static uint32_t op_rot(uint32_t a, uint32_t b) { return a << (b & 31) | a >> (-b & 31); }
static uint32_t op_div(uint32_t a, uint32_t b) { return a / (b | 1); }
static uint32_t op_min(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t op_neg(uint32_t a, uint32_t b) { (void)b; return -a; }

static Op const ops[] = { op_add, op_sub, op_mul, op_xor, op_rot, op_div, op_min, op_neg };

typedef struct Shape Shape;
typedef struct {
	double (*area)(const Shape *);
	int (*sides)(const Shape *);
} ShapeOps;
struct Shape {
	const ShapeOps *ops;
	double a, b;
};

static double rect_area(const Shape *s) { return s->a * s->b; }
static int rect_sides(const Shape *s) { (void)s; return 4; }
static double tri_area(const Shape *s) { return s->a * s->b / 2; }
static int tri_sides(const Shape *s) { (void)s; return 3; }
static double circ_area(const Shape *s) { return 3.25 * s->a * s->a; }
static int circ_sides(const Shape *s) { (void)s; return 0; }

static const ShapeOps rect = { rect_area, rect_sides }, tri = { tri_area, tri_sides },
		      circ = { circ_area, circ_sides };

static uint32_t
apply(Op f, uint32_t a, uint32_t b)
{
	return f(a, b);
}

/* Each call site returns to a different place. */
__attribute__((noinline)) static uint32_t
leaf(uint32_t x)
{
	return x * 2654435761u >> 7;
}

static uint32_t
many_sites(uint32_t x)
{
	x += leaf(x); x ^= leaf(x + 1); x += leaf(x ^ 2); x -= leaf(x + 3);
	x += leaf(x); x ^= leaf(x + 5); x += leaf(x ^ 6); x -= leaf(x + 7);
	x += leaf(x); x ^= leaf(x + 9); x += leaf(x ^ 10); x -= leaf(x + 11);
	return x;
}

static int
computed_goto(const unsigned char *prog, int n)
{
	static void *const lab[] = { &&inc, &&dbl, &&neg, &&halt };
	int acc = 1, pc = 0;

	goto *lab[prog[pc]];
inc:
	acc++;
	if (++pc < n) goto *lab[prog[pc]];
	return acc;
dbl:
	acc *= 2;
	if (++pc < n) goto *lab[prog[pc]];
	return acc;
neg:
	acc = -acc;
	if (++pc < n) goto *lab[prog[pc]];
	return acc;
halt:
	return acc + 1000000;
}

int
main(void)
{
	uint32_t x = 1, seed = 42, hx = 0;

	for (int i = 0; i < 1000000; i++) {
		seed = seed * 1103515245u + 12345u;
		x = apply(ops[(seed >> 16) & 7], x, seed);
		hx = hx * 31 + x;
	}
	printf("ops %08x %08x\n", x, hx);

	Shape shapes[300];
	for (int i = 0; i < 300; i++) {
		shapes[i].ops = i % 3 == 0 ? &rect : i % 3 == 1 ? &tri : &circ;
		shapes[i].a = i * 0.5 + 1;
		shapes[i].b = 300 - i;
	}
	double area = 0;
	int sides = 0;
	for (int k = 0; k < 100; k++)
		for (int i = 0; i < 300; i++) {
			area += shapes[i].ops->area(&shapes[i]);
			sides += shapes[i].ops->sides(&shapes[i]);
		}
	printf("area %.6f sides %d\n", area, sides);

	uint32_t y = 0;
	for (int i = 0; i < 100000; i++)
		y = many_sites(y + i);
	printf("sites %08x\n", y);

	unsigned char prog[200];
	for (int i = 0; i < 199; i++)
		prog[i] = (i * 7 + i / 5) % 3;
	prog[199] = 3;
	long total = 0;
	for (int n = 1; n <= 200; n++)
		total += computed_goto(prog, n) % 100003;
	printf("goto %ld\n", total);

	/* A pointer to a function reached through a volatile variable. */
	uint32_t (*volatile vf)(uint32_t) = leaf;
	printf("volatile %08x\n", vf(12345) + vf(54321));
	return 0;
}
