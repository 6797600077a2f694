/* reluvet/reluvet.h - the whole public API of libreluvet. */
#ifndef RELUVET_H
#define RELUVET_H
#include "reluvet/status.h"
#include "reluvet/ops.h"
#include "reluvet/kernels.h"
#include "reluvet/plan.h"
#include "reluvet/backend.h"
#include "reluvet/fileio.h"
#include "reluvet/tune.h"
#include "reluvet/wisdom.h"
#endif
