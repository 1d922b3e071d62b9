/*
 * qsort.c — sorting through a comparator called back from libc: qsort on
 * ints, doubles and structs (each array under 1 KiB, so glibc sorts in
 * place without asking sysconf for the memory size), bsearch, and a
 * merge sort and heap sort of our own over a larger array, checked
 * against each other.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t seed = 2024;
static long ncmp;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return seed;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	ncmp++;
	return (x > y) - (x < y);
}

static int
cmp_dbl_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y) - (x > y);
}

typedef struct {
	char name[12];
	short age;
	int id;
} Rec;

static int
cmp_rec(const void *a, const void *b)
{
	const Rec *p = a, *q = b;
	int c = strcmp(p->name, q->name);

	if (c)
		return c;
	if (p->age != q->age)
		return p->age - q->age;
	return (p->id > q->id) - (p->id < q->id);
}

static void
merge_sort(uint32_t *a, uint32_t *tmp, int n)
{
	if (n < 2)
		return;
	int m = n / 2;
	merge_sort(a, tmp, m);
	merge_sort(a + m, tmp, n - m);
	int i = 0, j = m, k = 0;
	while (i < m && j < n)
		tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
	while (i < m)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof *a);
}

static void
sift(uint32_t *a, int i, int n)
{
	for (;;) {
		int c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		uint32_t t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

static void
heap_sort(uint32_t *a, int n)
{
	for (int i = n / 2 - 1; i >= 0; i--)
		sift(a, i, n);
	for (int i = n - 1; i > 0; i--) {
		uint32_t t = a[0];
		a[0] = a[i];
		a[i] = t;
		sift(a, 0, i);
	}
}

enum { BIG = 200000 };
static uint32_t big1[BIG], big2[BIG], tmp[BIG];

int
main(void)
{
	uint32_t h = 0;
	int ok = 1;

	for (int round = 0; round < 400; round++) {
		int a[250], n = 1 + rnd() % 250;
		for (int i = 0; i < n; i++)
			a[i] = (int)rnd() % (round % 5 ? 1000 : 10);
		qsort(a, n, sizeof a[0], cmp_int);
		for (int i = 1; i < n; i++)
			ok &= a[i - 1] <= a[i];
		for (int i = 0; i < n; i++)
			h = h * 31 + a[i];
		int key = a[rnd() % n];
		int *f = bsearch(&key, a, n, sizeof a[0], cmp_int);
		ok &= f && *f == key;
		key = 5000;
		ok &= bsearch(&key, a, n, sizeof a[0], cmp_int) == NULL;
	}
	printf("ints %08x ok %d\n", h, ok);

	double d[120];
	for (int i = 0; i < 120; i++)
		d[i] = (int)rnd() / 1e5;
	qsort(d, 120, sizeof d[0], cmp_dbl_desc);
	printf("doubles %.5f %.5f %.5f\n", d[0], d[60], d[119]);

	static const char *names[] = { "ada", "bob", "cy", "dee", "eve", "fay", "gus" };
	Rec r[40];
	for (int i = 0; i < 40; i++) {
		strcpy(r[i].name, names[rnd() % 7]);
		r[i].age = rnd() % 5;
		r[i].id = i;
	}
	qsort(r, 40, sizeof r[0], cmp_rec);
	h = 0;
	for (int i = 0; i < 40; i++)
		h = h * 131 + r[i].name[0] + r[i].age * 7 + r[i].id;
	printf("records %08x first %s/%d/%d last %s/%d/%d\n", h, r[0].name, r[0].age, r[0].id,
	       r[39].name, r[39].age, r[39].id);

	for (int i = 0; i < BIG; i++)
		big1[i] = big2[i] = rnd();
	merge_sort(big1, tmp, BIG);
	heap_sort(big2, BIG);
	h = 0;
	for (int i = 0; i < BIG; i++)
		h = h * 31 + big1[i];
	printf("big same %d sum %08x min %08x max %08x\n", !memcmp(big1, big2, sizeof big1), h,
	       big1[0], big1[BIG - 1]);
	printf("comparisons %ld\n", ncmp);
	return 0;
}
