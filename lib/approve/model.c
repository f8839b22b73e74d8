/* model.c: the argument models (see model.h). */
#include "approve/model.h"

#include <string.h>

#include "core/util.h"

void model_judge(const struct model_ctx *ctx, const char *name, char *const *argv, int argc,
                 struct model_report *out)
{
	(void)ctx;
	(void)name;
	(void)argv;
	(void)argc;
	memset(out, 0, sizeof(*out));
	out->complete = true;
}

bool model_known(const char *name)
{
	(void)name;
	return false;
}

bool model_destructive(const struct model_report *r)
{
	for (int i = 0; i < r->npaths; i++)
		if (r->paths[i].use == MODEL_DELETE || r->paths[i].use == MODEL_OVERWRITE)
			return true;
	return false;
}

const char *model_use_name(enum model_use use)
{
	static const char *const names[] = {
		[MODEL_READ] = "read",         [MODEL_WRITE] = "write",   [MODEL_OVERWRITE] = "overwrite",
		[MODEL_DELETE] = "delete",     [MODEL_SCRIPT] = "script", [MODEL_MODULE] = "module",
		[MODEL_STDIN] = "stdin",
	};
	return (size_t)use < NELEM(names) ? names[use] : "?";
}

const char *model_recover_name(enum model_recover r)
{
	static const char *const names[] = {
		[RECOVER_NONE] = "none",
		[RECOVER_TRASH] = "trash",
		[RECOVER_NEVER] = "never",
	};
	return (size_t)r < NELEM(names) ? names[r] : "?";
}
