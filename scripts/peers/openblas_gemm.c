// openblas_gemm times OpenBLAS's cblas_dgemm at the layer shapes of bench-kernel.sh, in the three
// forms of a layer Y[M×N] = X[M×K]·W[K×N]: NN (X·W), TN (dW = Xᵀ·dY) and NT (dX = dY·Wᵀ).
// Each call is timed on its own; the line printed per product is the median call.
// Usage: openblas_gemm SECONDS FORM:MxKxN ...   e.g. openblas_gemm 0.5 NN:4096x256x256
// Threads and kernels follow OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE. With
// INR_BENCH_CLOCK=cpu each call is timed by the process's CPU time instead of the wall clock
// (for single-threaded runs on a machine other processes keep busy).
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static clockid_t clk = CLOCK_MONOTONIC;

static double now(void) {
	struct timespec t;
	clock_gettime(clk, &t);
	return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *fill(long n) {
	double *p = malloc(sizeof(double) * n);
	for (long i = 0; i < n; i++) p[i] = (double)((i * 7919) % 1000) / 500.0 - 1.0;
	return p;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: %s SECONDS FORM:MxKxN ...\n", argv[0]);
		return 2;
	}
	double budget = atof(argv[1]);
	const char *c = getenv("INR_BENCH_CLOCK");
	if (c && !strcmp(c, "cpu")) clk = CLOCK_PROCESS_CPUTIME_ID;
	for (int i = 2; i < argc; i++) {
		char form[3] = {0};
		long m, k, n;
		if (sscanf(argv[i], "%2s:%ldx%ldx%ld", form, &m, &k, &n) != 4) {
			fprintf(stderr, "bad product %s\n", argv[i]);
			return 2;
		}
		double *x, *y, *z;
		enum CBLAS_TRANSPOSE ta = CblasNoTrans, tb = CblasNoTrans;
		int M, N, K, lda, ldb, ldc;
		if (!strcmp(form, "NN")) { // Y[m×n] = X[m×k]·W[k×n]
			x = fill(m * k), y = fill(k * n), z = fill(m * n);
			M = m, N = n, K = k, lda = k, ldb = n, ldc = n;
		} else if (!strcmp(form, "TN")) { // dW[k×n] = X[m×k]ᵀ·dY[m×n]
			x = fill(m * k), y = fill(m * n), z = fill(k * n);
			ta = CblasTrans, M = k, N = n, K = m, lda = k, ldb = n, ldc = n;
		} else if (!strcmp(form, "NT")) { // dX[m×k] = dY[m×n]·W[k×n]ᵀ
			x = fill(m * n), y = fill(k * n), z = fill(m * k);
			tb = CblasTrans, M = m, N = k, K = n, lda = n, ldb = n, ldc = k;
		} else {
			fprintf(stderr, "bad form %s\n", form);
			return 2;
		}
		cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, 1.0, x, lda, y, ldb, 0.0, z, ldc); // warm-up
		int cap = 100000, cnt = 0;
		double *t = malloc(sizeof(double) * cap);
		double start = now();
		while ((cnt < 5 || now() - start < budget) && cnt < cap) {
			double t0 = now();
			cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, 1.0, x, lda, y, ldb, 0.0, z, ldc);
			t[cnt++] = now() - t0;
		}
		qsort(t, cnt, sizeof(double), cmp);
		double med = t[cnt / 2];
		printf("%s %ldx%ldx%ld %.3f %.4f\n", form, m, k, n, 2.0 * m * k * n / med / 1e9, med * 1e3);
		free(x), free(y), free(z), free(t);
	}
	return 0;
}
