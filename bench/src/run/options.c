// SPDX-License-Identifier: GPL-2.0
/* Parsers of option values: counts, sizes, durations, flags, VM types, collectors. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "idlist.h"
#include "kvm_compat.h"
#include "options.h"
#include "util.h"

int gb_parse_seconds(const char *s, double *out)
{
	double v, scale = 1.0;
	char *end;

	if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return -1;
	if (!strcmp(end, "ms"))
		scale = 1e-3;
	else if (!strcmp(end, "m"))
		scale = 60.0;
	else if (*end && strcmp(end, "s"))
		return -1;
	v *= scale;
	/* Below a millisecond a run would measure no operation at all. */
	if (!isfinite(v) || v < GB_MIN_DURATION_S || v > 86400.0)
		return -1;
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	uint64_t bit;
} gmem_flag_names[] = {
	{ "mmap", GUEST_MEMFD_FLAG_MMAP },
	{ "init-shared", GUEST_MEMFD_FLAG_INIT_SHARED },
};

int gb_parse_gmem_flags(const char *s, uint64_t *out)
{
	char *copy, *tok, *save = NULL, *end;
	uint64_t flags = 0;
	unsigned int i;
	int ret = 0;

	if (!s || gb_list_has_empty_item(s))
		return -1;
	/* A number: decimal, or hexadecimal as flags are written in the uapi. */
	if (isdigit((unsigned char)s[0])) {
		errno = 0;
		*out = strtoull(s, &end, !strncmp(s, "0x", 2) ? 16 : 10);
		return errno || !*s || *end || (s[1] == 'x' && !s[2]) ? -1 : 0;
	}
	copy = strdup(s);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(gmem_flag_names); i++)
			if (!strcmp(tok, gmem_flag_names[i].name))
				break;
		if (i == ARRAY_SIZE(gmem_flag_names)) {
			ret = -1;
			break;
		}
		flags |= gmem_flag_names[i].bit;
	}
	free(copy);
	if (!ret)
		*out = flags;
	return ret;
}

static const char *const vm_type_names[] = {
	[KVM_X86_DEFAULT_VM] = "default", [KVM_X86_SW_PROTECTED_VM] = "sw-protected",
	[KVM_X86_SEV_VM] = "sev",	  [KVM_X86_SEV_ES_VM] = "sev-es",
	[KVM_X86_SNP_VM] = "snp",	  [KVM_X86_TDX_VM] = "tdx",
};

#define NR_VM_TYPE_NAMES ARRAY_SIZE(vm_type_names)

const char *gb_vm_type_name(unsigned long type)
{
	return type < NR_VM_TYPE_NAMES ? vm_type_names[type] : "unknown";
}

int gb_parse_vm_type(const char *s, unsigned long *out)
{
	uint64_t v;
	unsigned int i;

	for (i = 0; i < NR_VM_TYPE_NAMES; i++) {
		if (!strcmp(s, vm_type_names[i])) {
			*out = i;
			return 0;
		}
	}
	/* KVM_CAP_VM_TYPES is a bit mask, so a type must be below 64. */
	if (gb_parse_u64(s, &v) || v > 63)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

const char *gb_parse_collect(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	bool ok = copy != NULL;

	if (gb_list_has_empty_item(list)) {
		free(copy);
		return NULL;
	}
	if (!strcmp(list, "all")) {
		free(copy);
		return gb_collector_names();
	}
	if (!strcmp(list, "none")) {
		free(copy);
		return "";
	}
	for (tok = ok ? strtok_r(copy, ",", &save) : NULL; tok && ok;
	     tok = strtok_r(NULL, ",", &save))
		ok = gb_collector_known(tok);
	free(copy);
	return ok && *list ? list : NULL;
}
