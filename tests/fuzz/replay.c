/* replay.c: runs a fuzz target over files, without libFuzzer: the seed
 * corpora and every input that ever crashed (tests/fuzz/regressions/),
 * from `make check` with the ordinary compiler. Arguments are files or
 * directories (their regular files, one level). A crash or a broken
 * property aborts, as under libFuzzer. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

static unsigned long replayed;

static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, got;

	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		if (len == cap) {
			unsigned char *grown;

			cap = cap ? cap * 2 : 4096;
			if ((grown = realloc(data, cap)) == NULL)
				abort();
			data = grown;
		}
		if ((got = fread(data + len, 1, cap - len, fp)) == 0)
			break;
		len += got;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	replayed++;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char **grown;

		if (e->d_name[0] == '.')
			continue;
		if ((grown = realloc(names, (n + 1) * sizeof *names)) == NULL)
			abort();
		names = grown;
		if ((names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2)) == NULL)
			abort();
		sprintf(names[n++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, name_cmp);
	for (i = 0; i < n; i++) {
		struct stat sb;

		if (stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
			rc |= replay_file(names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(sb.st_mode))
			rc |= replay_dir(argv[i]);
		else
			rc |= replay_file(argv[i]);
	}
	printf("replayed %lu inputs\n", replayed);
	return rc;
}
