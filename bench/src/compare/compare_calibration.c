// SPDX-License-Identifier: GPL-2.0
/*
 * The minimum detectable effect of the latest calibration
 * (scripts/calibrate.sh), for the reports: it is only this machine's and
 * this accelerator's, so a calibration made elsewhere is named and not
 * used.  The file is "key: value" lines: date, host, accelerator, boots,
 * mde_pct.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "errors.h"
#include "textfile.h"

#define FIELD_MAX 200

/* The value of "KEY: value" in @text, control characters replaced (caller frees). */
static char *field(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
		size_t len = strcspn(line, "\n");
		char *v;

		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		line += klen + 1;
		len -= klen + 1;
		line += strspn(line, " ");
		len = strcspn(line, "\n");
		v = strndup(line, len > FIELD_MAX ? FIELD_MAX : len);
		for (char *p = v; p && *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		return v;
	}
	return NULL;
}

static __printf(2, 3) int note(struct gb_comparison *cmp, const char *fmt, ...)
{
	va_list ap;
	int n;

	free(cmp->mde_note);
	va_start(ap, fmt);
	n = vasprintf(&cmp->mde_note, fmt, ap);
	va_end(ap);
	if (n < 0) {
		cmp->mde_note = NULL;
		return gb_fail(GB_EXIT_FAILURE, "out of memory");
	}
	return 0;
}

static const char *or_unknown(const char *s)
{
	return s ? s : "?";
}

int gb_compare_load_calibration(struct gb_comparison *cmp)
{
	const char *path = cmp->opts.calibration;
	const struct gb_result_set *base = &cmp->sets[0];
	char *text, *host, *accel, *date, *boots, *mde, *end;
	size_t len;
	int ret;

	cmp->mde_pct = NAN;
	if (!path)
		return note(
			cmp,
			"none: no calibration was given (scripts/calibrate.sh, then --calibration)");
	text = gb_read_text_len(path, &len);
	if (!text)
		return gb_fail_errno(GB_EXIT_INPUT, errno, "cannot read calibration %s", path);
	if (strlen(text) != len) {
		free(text);
		return gb_fail(GB_EXIT_INPUT, "%s: a NUL byte in a calibration file", path);
	}
	host = field(text, "host");
	accel = field(text, "accelerator");
	date = field(text, "date");
	boots = field(text, "boots");
	mde = field(text, "mde_pct");
	free(text);
	errno = 0;
	if (!host || !accel || !mde) {
		ret = gb_fail(
			GB_EXIT_INPUT,
			"%s: not a calibration (it needs host, accelerator and mde_pct lines)",
			path);
	} else if (strcmp(host, base->host) || strcmp(accel, base->accelerator)) {
		ret = note(
			cmp,
			"none for this machine and accelerator (the calibration given is of %s, %s, %s)",
			host, accel, or_unknown(date));
	} else if (!strcmp(mde, "none")) {
		ret = note(
			cmp,
			"above every delta tried: the calibration of %s (%s boots a side) detected none",
			or_unknown(date), or_unknown(boots));
	} else {
		cmp->mde_pct = strtod(mde, &end);
		if (errno || end == mde || *end || !(cmp->mde_pct > 0 && cmp->mde_pct < 1000))
			ret = gb_fail(GB_EXIT_INPUT,
				      "%s: mde_pct '%s' is not a percentage or 'none'", path, mde);
		else
			ret = note(
				cmp,
				"%s%% (calibration of %s, %s boots a side, same machine and accelerator)",
				mde, or_unknown(date), or_unknown(boots));
	}
	free(host);
	free(accel);
	free(date);
	free(boots);
	free(mde);
	return ret;
}
