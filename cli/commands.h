/* commands.h - the subcommands; each gets argv[0] = its own name. */
#ifndef RELUVET_CLI_COMMANDS_H
#define RELUVET_CLI_COMMANDS_H
#define RV_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef RV_COMMAND
#endif
