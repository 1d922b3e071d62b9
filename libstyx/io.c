/* io.c — read and write whole 9P messages on a file descriptor. */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include "styximpl.h"

/* Reads exactly n bytes: n, or fewer at end of file, or -1. */
static ssize_t
readn(int fd, uint8_t *p, size_t n)
{
	size_t got;
	ssize_t m;

	for(got = 0; got < n; got += m){
		m = read(fd, p + got, n - got);
		if(m < 0 && errno == EINTR){
			m = 0;
			continue;
		}
		if(m < 0)
			return -1;
		if(m == 0)
			break;
	}
	return got;
}

long
styx_readmsg(int fd, uint8_t *buf, size_t msize)
{
	ssize_t m;
	uint32_t size;

	if(msize < 7){
		errno = EINVAL;
		return -1;
	}
	m = readn(fd, buf, 4);
	if(m == 0)
		return 0;
	if(m < 0)
		return -1;
	if(m < 4){
		errno = EPROTO;
		return -1;
	}
	size = get32(buf);
	if(size < 7){
		errno = EPROTO;
		return -1;
	}
	if(size > msize){
		errno = EMSGSIZE;
		return -1;
	}
	m = readn(fd, buf+4, size-4);
	if(m < 0)
		return -1;
	if((size_t)m < size-4){
		errno = EPROTO;
		return -1;
	}
	return size;
}

uint8_t *
styx_readmsgalloc(int fd, size_t msize, long *n)
{
	uint8_t hdr[4], *b;
	uint32_t size;
	ssize_t m;

	*n = -1;
	m = readn(fd, hdr, 4);
	if(m == 0)
		*n = 0;
	if(m <= 0)
		return NULL;
	if(m < 4){
		errno = EPROTO;
		return NULL;
	}
	size = get32(hdr);
	if(size < 7 || size > msize){
		errno = size > msize ? EMSGSIZE : EPROTO;
		return NULL;
	}
	b = malloc(size);
	if(b == NULL)
		return NULL;
	memcpy(b, hdr, 4);
	m = readn(fd, b+4, size-4);
	if(m < 0 || (size_t)m < size-4){
		if(m >= 0)
			errno = EPROTO;
		free(b);
		return NULL;
	}
	*n = size;
	return b;
}

int
styx_writeall(int fd, const void *buf, size_t n)
{
	const uint8_t *p;
	ssize_t m;

	p = buf;
	while(n > 0){
		/* a dead peer must give EPIPE, not kill the host */
		m = send(fd, p, n, MSG_NOSIGNAL);
		if(m < 0 && errno == ENOTSOCK)
			m = write(fd, p, n);
		if(m < 0 && errno == EINTR)
			continue;
		if(m <= 0)
			return -1;
		p += m;
		n -= m;
	}
	return 0;
}
