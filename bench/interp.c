/*
 * interp.c — benchmark: a switch-dispatched bytecode interpreter running
 * a loop program (nested loops doing arithmetic on a few registers).
 * Every instruction goes through one indirect jump from a jump table, so
 * this measures the translator's indirect-branch lookup.
 */
#include <stdint.h>
#include <stdio.h>

enum { LDI, ADD, SUB, MUL, XOR, SHR, MOV, DEC, JNZ, HALT };

typedef struct {
	uint8_t op, a, b, c;
	int32_t imm;
} Insn;

static uint32_t
run(const Insn *prog)
{
	uint32_t r[8] = { 0 };
	const Insn *pc = prog;

	for(;;){
		const Insn *i = pc++;
		switch(i->op){
		case LDI: r[i->a] = (uint32_t)i->imm; break;
		case ADD: r[i->a] = r[i->b] + r[i->c]; break;
		case SUB: r[i->a] = r[i->b] - r[i->c]; break;
		case MUL: r[i->a] = r[i->b] * r[i->c]; break;
		case XOR: r[i->a] = r[i->b] ^ r[i->c]; break;
		case SHR: r[i->a] = r[i->b] >> (i->imm & 31); break;
		case MOV: r[i->a] = r[i->b]; break;
		case DEC: r[i->a]--; break;
		case JNZ: if(r[i->a]) pc = prog + i->imm; break;
		case HALT: return r[0];
		default: return 0xdead;
		}
	}
}

int
main(void)
{
	/* r0 = hash, r1 = outer count, r2 = inner count, r3..r5 scratch */
	static const Insn prog[] = {
		/* 0 */ { LDI, 0, 0, 0, 17 },
		/* 1 */ { LDI, 1, 0, 0, 3000 },
		/* 2 */ { LDI, 2, 0, 0, 10000 },	/* outer: */
		/* 3 */ { LDI, 4, 0, 0, 31 },
		/* 4 */ { MUL, 0, 0, 4 },		/* inner: */
		/* 5 */ { ADD, 0, 0, 2 },
		/* 6 */ { SHR, 3, 0, 0, 13 },
		/* 7 */ { XOR, 0, 0, 3 },
		/* 8 */ { SUB, 5, 2, 1 },
		/* 9 */ { ADD, 0, 0, 5 },
		/* 10 */ { DEC, 2 },
		/* 11 */ { JNZ, 2, 0, 0, 4 },
		/* 12 */ { DEC, 1 },
		/* 13 */ { JNZ, 1, 0, 0, 2 },
		/* 14 */ { HALT },
	};

	printf("interp %08x\n", run(prog));
	return 0;
}
