/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target needs: libFuzzer's bytes as the NUL-terminated
 * text the parsers take (a NUL inside ends the text early, as it would
 * for the tool, which reads files into C strings).
 */
#ifndef GB_FUZZ_INPUT_H
#define GB_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline char *gb_fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	return text;
}

#endif
