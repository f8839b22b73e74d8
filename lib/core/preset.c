/* preset.c: lookup of the embedded presets. */
#include "core/preset.h"

#include <string.h>

const struct preset *preset_find(const char *name)
{
	for (unsigned i = 0; i < claw_npresets; i++)
		if (strcmp(claw_presets[i].name, name) == 0)
			return &claw_presets[i];
	return NULL;
}
