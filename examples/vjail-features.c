/* vjail-features - print what this kernel offers libvjail, one line each.
 *
 * The first program on the public API: a daemon can log the same before it
 * calls vjail_enter(). Exit status 0 whatever the kernel offers.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <vjail.h>

int main(int argc, char **argv)
{
	uint64_t have = vjail_features();

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
			 strcmp(argv[1], "--help") == 0)) {
		printf("usage: %s\nPrint the kernel features libvjail can use, "
		       "one per line: NAME yes|no.\n", argv[0]);
		return 0;
	}
	printf("libvjail %s\n", vjail_version_string());
	for (unsigned int bit = 0; bit < 64; bit++) {
		const char *name = vjail_feature_name(UINT64_C(1) << bit);

		if (name != NULL)
			printf("%-16s %s\n", name,
			       (have >> bit) & 1 ? "yes" : "no");
	}
	printf("%-16s %d\n", "landlock-abi", vjail_landlock_abi());
	return 0;
}
