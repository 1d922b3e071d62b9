/* guest_threads — pthreads under vxinferno: workers sum ranges under a
 * mutex, a condition variable hands out work, join collects; prints the
 * same as natively. */
#include <pthread.h>
#include <stdio.h>

enum { NT = 4, N = 200000 };

static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long long total;
static int started, go;
static __thread int mine;

static void *
worker(void *arg)
{
	long i, id = (long)arg;
	long long s = 0;

	mine = (int)id + 1;
	pthread_mutex_lock(&lk);
	started++;
	pthread_cond_broadcast(&cv);
	while(!go)
		pthread_cond_wait(&cv, &lk);
	pthread_mutex_unlock(&lk);
	for(i = id; i < N; i += NT)
		s += i;
	pthread_mutex_lock(&lk);
	total += s;
	pthread_mutex_unlock(&lk);
	return (void *)(long)mine;
}

int
main(void)
{
	pthread_t th[NT];
	long i, tlsok = 1;
	void *r;

	for(i = 0; i < NT; i++)
		if(pthread_create(&th[i], NULL, worker, (void *)i) != 0){
			printf("pthread_create failed\n");
			return 1;
		}
	pthread_mutex_lock(&lk);
	while(started < NT)
		pthread_cond_wait(&cv, &lk);
	go = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lk);
	for(i = 0; i < NT; i++){
		pthread_join(th[i], &r);
		if((long)r != i + 1)
			tlsok = 0;
	}
	printf("threads %d total %lld tls %s main tls %d\n", NT, total, tlsok ? "ok" : "BAD", mine);
	return 0;
}
