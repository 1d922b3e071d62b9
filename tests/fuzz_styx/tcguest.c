/* tcguest.c — the guest of fuzz_tcache (static i386, no libc): code of
 * many kinds for the translation cache's entries to hold (calls and
 * rets, a jump table, calls through pointers, pc thunks with -fpic, x87,
 * a self-recursive loop), ended by exit(2) through int $0x80 with a sum.
 * With an argument it also makes 1.7 million rets, so that the
 * sandbox turns warm and loads the warm form's file (tcache.c,
 * vx_tcwarm). */
typedef unsigned int u32;

static volatile u32 sink;

static u32
fib(u32 n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static u32
op(int k, u32 a)
{
	switch(k){
	case 0: return a + 7;
	case 1: return a ^ 0x5a5a;
	case 2: return a * 3;
	case 3: return a >> 1;
	case 4: return a - 11;
	case 5: return a << 2;
	case 6: return ~a;
	case 7: return a | 0x100;
	default: return a;
	}
}

static u32 f0(u32 a) { return a + 1; }
static u32 f1(u32 a) { return a * 5; }
static u32 f2(u32 a) { return a ^ 0x1234; }
static u32 f3(u32 a) { return fib(a & 7); }
static u32 (*const fns[4])(u32) = { f0, f1, f2, f3 };

static u32
fp(int i)
{
	double x = i;

	return (u32)(x * 1.5 + x / 3.0);
}

int
gmain(int argc)
{
	u32 s = 0;
	int i;

	for(i = 0; i < 3000; i++){
		s = op(i % 9, s);
		s = fns[(s ^ i) & 3](s);
		if(i % 100 == 0)
			s += fp(i);
		sink = s;
	}
	s += fib(16);
	if(argc > 1)
		s += fib(29);	/* 1.7 million calls: warm (RWARM) */
	return (int)(s & 0x7f);
}

__asm__(".globl _start\n_start:\n\tmovl (%esp), %eax\n\tpushl %eax\n\tcall gmain\n"
	"\tmovl %eax, %ebx\n\tmovl $1, %eax\n\tint $0x80\n\thlt\n");
