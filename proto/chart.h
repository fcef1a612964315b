/*
 * The standard chart of accounts of a savings-and-loan koperasi (KOPERASI.md section 4.3): what
 * `saksi init` writes into a genesis when the description file names no accounts, and what the
 * default parameters (proto_params_default) refer to.
 */
#ifndef SAKSI_PROTO_CHART_H
#define SAKSI_PROTO_CHART_H

#include <stddef.h>

#include "proto/ledger.h"

/* The number of accounts in the standard chart. */
size_t proto_chart_standard_n(void);
/* Account i (0 <= i < proto_chart_standard_n()), ascending by code, into *a. */
void proto_chart_standard(size_t i, struct proto_account *a);

#endif
