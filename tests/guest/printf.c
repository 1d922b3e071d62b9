/*
 * printf.c — glibc's number formatting and parsing: %g %e %f %a of
 * ordinary, huge, tiny, subnormal, infinite and NaN values at several
 * precisions, integer conversions with flags, and strtod/strtol round
 * trips.  The formatting code uses multi-precision integer arithmetic, so
 * it is a dense test of mul/div/shift sequences.
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t sum = 0;

static void
out(const char *s)
{
	for (const char *p = s; *p; p++)
		sum = sum * 31 + (unsigned char)*p;
}

int
main(void)
{
	static const double v[] = {
		0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, 2.0 / 3, 123456789.125, 1e-5, 9.999999e-5,
		1e21, 1e22, 1e100, 1.7976931348623157e308, 2.2250738585072014e-308,
		4.9406564584124654e-324, 1e-310, 0.5, 2.5, 3.5, 999999.5, 0.000123456789,
		6.02214076e23, -273.15, 3.141592653589793, 2.718281828459045,
	};
	static const char *fmt[] = {
		"%g", "%.0g", "%.3g", "%.17g", "%#g", "%e", "%.0e", "%.10e", "%+e",
		"%f", "%.0f", "%.2f", "%.20f", "%12.4f", "%-12.3g|", "%a", "%.3a", "%A", "% .5f",
	};
	char buf[2048];

	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		for (unsigned j = 0; j < sizeof fmt / sizeof fmt[0]; j++) {
			snprintf(buf, sizeof buf, fmt[j], v[i]);
			out(buf);
			if (j % 6 == 0)
				printf("%s ", buf);
		}
		printf("\n");
	}
	printf("double formats %08x\n", sum);

	/* Exact decimal expansion of large and tiny numbers. */
	printf("%.0f\n", 1.7976931348623157e308);
	printf("%.1074f\n", 4.9406564584124654e-324);
	printf("%.40Lf\n", 1.0L / 3);
	printf("%Lg %Le %La\n", LDBL_MAX, LDBL_MIN, LDBL_TRUE_MIN);

	double inf = INFINITY, nan = NAN;
	printf("[%g] [%e] [%f] [%a] [%5.1f] [%-6g] [%+f] [%G] [%E]\n", inf, -inf, nan, -nan,
	       inf, nan, inf, inf, -nan);
	printf("[%F] [%F]\n", inf, 1.25);

	sum = 0;
	for (int e = -330; e <= 310; e += 3) {
		snprintf(buf, sizeof buf, "%.15e", pow(10.0, e) * 1.2345);
		out(buf);
		double back = strtod(buf, NULL);
		snprintf(buf, sizeof buf, "%a", back);
		out(buf);
	}
	printf("powers %08x\n", sum);

	/* Parsing. */
	const char *in[] = {
		"0x1.8p3", "1e-400", "-1e400", "inf", "-nan", "  42.5xyz", "1.000000000000000111",
		"2.2250738585072011e-308", ".5e1", "0X.8P-2", "123456789012345678901234567890",
	};
	for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
		char *end;
		double d = strtod(in[i], &end);
		printf("strtod(%s)=%a rest=%td\n", in[i], d, end - in[i]);
	}
	long double ld = strtold("3.14159265358979323846264338327950288", NULL);
	printf("strtold %La\n", ld);
	float f = strtof("16777217", NULL);
	printf("strtof %a\n", f);

	/* Integers. */
	sum = 0;
	long long ll = 1;
	for (int i = 0; i < 64; i++, ll = ll * 3 + i) {
		snprintf(buf, sizeof buf, "%lld %llu %llx %llo %#llX %+lld %020lld %-20lld|", ll,
			 (unsigned long long)ll, ll, ll, ll, ll, ll, ll);
		out(buf);
		snprintf(buf, sizeof buf, "%d %u %x %hhd %hd %ld %5.3d %'d", (int)ll, (unsigned)ll,
			 (unsigned)ll, (signed char)ll, (short)ll, (long)ll, (int)ll % 1000, (int)ll);
		out(buf);
	}
	printf("integers %08x\n", sum);
	printf("%s %ld %lld %lu %jd\n", "strtol", strtol("-0x7fffffff", NULL, 16),
	       strtoll("9223372036854775807", NULL, 10), strtoul("777", NULL, 8),
	       strtoimax("-123", NULL, 0));
	printf("[%5s] [%-5s] [%.2s] [%c] [%%] [%5c]\n", "ab", "cd", "efgh", 'x', 'y');
	int n;
	printf("count%n\n", &n);
	printf("n=%d\n", n);
	return 0;
}
