/* preset.h: the presets of share/claw/presets, embedded at build time. */
#ifndef CLAW_PRESET_H
#define CLAW_PRESET_H

struct preset {
	const char *name;
	const char *text;      /* openclaw.json: JSON5, as shipped */
	const char *claw_text; /* claw.json: claw's own keys of the preset ("{}" when none) */
};

extern const struct preset claw_presets[];
extern const unsigned claw_npresets;

/* The preset that applies when no config file exists: a new installation is secure. */
#define CLAW_DEFAULT_PRESET "secure"

/* Returns the embedded preset NAME, or NULL. */
const struct preset *preset_find(const char *name);

#endif
