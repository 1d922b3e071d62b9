# hex32.S — included by tests/fuzz/steps.S and traps.S: %eax as 8 hex
# digits at (%edi)+, clobbering %ecx and %edx (needs hexdig, 16 bytes).
hex32:	movl $8, %ecx
1:	roll $4, %eax
	movl %eax, %edx
	andl $15, %edx
	movb hexdig(%edx), %dl
	movb %dl, (%edi)
	incl %edi
	decl %ecx
	jnz 1b
	ret
