/*
 * ymm.c — AVX2 state kept whole across system calls: ymm0-7 hold 256-bit
 * values while the program makes a light call (getpid) and calls that go
 * through the host (writes of nothing to stdout, a nanosleep of 0 s);
 * then the registers are read back and summed with 256-bit integer adds.  Where cpuid offers no AVX2 (or the OS has not
 * enabled the YMM state) the same sums are made in C, so the output is
 * the same on any CPU: under the sandbox on a host with AVX2 it is the
 * engines' save and restore of the upper halves (S_YMM) that makes it so.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "haveavx2.h"

static struct {
	uint32_t in[8][8];	/* 0 */
	uint32_t out[8][8];	/* 256 */
	int pad[2];		/* 512 */
	char c;			/* 520 */
} v;
#define in v.in
#define out v.out

/* Load ymm0-7, make the calls, store them back; all in one asm so the
 * compiler cannot move a register between them. */
__attribute__((target("avx2"))) static void
vectors(void)
{
	__asm__ volatile(
		"vmovdqu 0(%0),%%ymm0\n vmovdqu 32(%0),%%ymm1\n vmovdqu 64(%0),%%ymm2\n vmovdqu 96(%0),%%ymm3\n"
		"vmovdqu 128(%0),%%ymm4\n vmovdqu 160(%0),%%ymm5\n vmovdqu 192(%0),%%ymm6\n vmovdqu 224(%0),%%ymm7\n"
		"push %%ebx\n push %0\n"
		"mov $20,%%eax\n int $0x80\n"					/* getpid */
		"mov (%%esp),%%ecx\n mov $1,%%ebx\n add $520,%%ecx\n xor %%edx,%%edx\n mov $4,%%eax\n int $0x80\n"	/* write(1, &c, 0) */
		"mov (%%esp),%%ecx\n mov $1,%%ebx\n add $520,%%ecx\n xor %%edx,%%edx\n mov $4,%%eax\n int $0x80\n"	/* write(1, &c, 0) */
		"mov $162,%%eax\n mov (%%esp),%%ebx\n add $512,%%ebx\n xor %%ecx,%%ecx\n int $0x80\n"	/* nanosleep(0 s) */
		"pop %0\n pop %%ebx\n"
		"vmovdqu %%ymm0,256(%0)\n vmovdqu %%ymm1,288(%0)\n vmovdqu %%ymm2,320(%0)\n vmovdqu %%ymm3,352(%0)\n"
		"vmovdqu %%ymm4,384(%0)\n vmovdqu %%ymm5,416(%0)\n vmovdqu %%ymm6,448(%0)\n vmovdqu %%ymm7,480(%0)\n"
		"vpaddd %%ymm1,%%ymm0,%%ymm0\n vpaddd %%ymm3,%%ymm2,%%ymm2\n vpaddd %%ymm5,%%ymm4,%%ymm4\n"
		"vpaddd %%ymm7,%%ymm6,%%ymm6\n vpaddd %%ymm2,%%ymm0,%%ymm0\n vpaddd %%ymm6,%%ymm4,%%ymm4\n"
		"vpaddd %%ymm4,%%ymm0,%%ymm0\n vmovdqu %%ymm0,0(%0)\n vzeroupper"
		: : "S"(&v)
		: "eax", "ecx", "edx", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "memory");
}

int
main(void)
{
	uint32_t sum[8], h;
	int i, j;

	for(i = 0; i < 8; i++)
		for(j = 0; j < 8; j++)
			in[i][j] = 0x9e3779b9u * (uint32_t)(i * 8 + j + 1);
	memset(sum, 0, sizeof sum);
	for(i = 0; i < 8; i++)
		for(j = 0; j < 8; j++)
			sum[j] += in[i][j];
	if(haveavx2()){
		vectors();
		for(j = 0; j < 8; j++)
			if(in[0][j] != sum[j])
				printf("lane %d: sum %#x, want %#x\n", j, in[0][j], sum[j]);
	}else
		memcpy(out, in, sizeof out);
	for(i = 0; i < 8; i++){
		h = 0;
		for(j = 0; j < 8; j++)
			h = h * 31 + out[i][j];
		printf("ymm%d %08x%s\n", i, h, memcmp(out[i], in[i], sizeof out[i]) == 0 || i == 0 ? "" : " changed");
	}
	for(j = 0; j < 8; j++)
		printf("%08x%c", sum[j], j == 7 ? '\n' : ' ');
	return 0;
}
