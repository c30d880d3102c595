// SPDX-License-Identifier: GPL-2.0
/*
 * png-probe FILE [RRGGBB...]: print "WIDTH HEIGHT" and, for each colour,
 * how many pixels have it (within 8 per channel, for antialiasing) -- how
 * the plot test tells a plot with its series drawn from a blank one.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	png_image img;
	png_bytep px;

	if (argc < 2) {
		fprintf(stderr, "usage: png-probe FILE [RRGGBB...]\n");
		return 2;
	}
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "png-probe: %s: %s\n", argv[1], img.message);
		return 1;
	}
	img.format = PNG_FORMAT_RGB;
	px = malloc(PNG_IMAGE_SIZE(img));
	if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		fprintf(stderr, "png-probe: %s: %s\n", argv[1], px ? img.message : "no memory");
		free(px);
		png_image_free(&img);
		return 1;
	}
	printf("%u %u\n", img.width, img.height);
	for (int c = 2; c < argc; c++) {
		unsigned int rgb = (unsigned int)strtoul(argv[c], NULL, 16);
		int want[3] = { (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255 };
		size_t count = 0;

		for (size_t i = 0; i < (size_t)img.width * img.height; i++) {
			png_bytep p = px + 3 * i;

			count += abs(p[0] - want[0]) <= 8 && abs(p[1] - want[1]) <= 8 &&
				 abs(p[2] - want[2]) <= 8;
		}
		printf("%s %zu\n", argv[c], count);
	}
	free(px);
	return 0;
}
