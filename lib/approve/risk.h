/*
 * risk.h: arguments that turn an allow-listed program without a model
 * (model.h) into something else.
 *
 * Two tables. OpenClaw 2026.9.6's inline-eval table (its FLAG_ and
 * POSITIONAL_INTERPRETER_INLINE_EVAL_SPECS) for the interpreters that have
 * no model of their own (lua, julia, R, guile, ...): code on the command line
 * asks when tools.exec.strictInlineEval is on; python, node, perl, ruby, php,
 * awk, sed, find and make are judged by their models. And the compilers'
 * options that make them run another program (`cc -wrapper`, `-fplugin=`),
 * which always need a human, whatever the allow list says.
 */
#ifndef CLAW_RISK_H
#define CLAW_RISK_H

#include <stdbool.h>

/* The inline-eval use in ARGV of the program called NAME (see exec_name()), or NULL. */
const char *risk_inline_eval(const char *name, char *const *argv, int argc);

/* Why ARGV needs a human although NAME is allow-listed, or NULL. */
const char *risk_arguments(const char *name, char *const *argv, int argc);

/*
 * An interpreter: python, node, perl, ... (OpenClaw's INTERPRETER_LIKE list,
 * versioned names such as python3.12 included). Never a safe bin; its first
 * file operand is the script an approval is bound to.
 */
bool risk_interpreter(const char *name);

/* The inline-eval table's programs (versioned names too), and their names as
 * " python node ... ", for the audit's matching of allow-list globs. */
bool risk_inline_eval_program(const char *name);
const char *risk_inline_eval_names(void);

#endif
