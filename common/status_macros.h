// Two propagation macros, in standard C++ (Debian's abseil 20220623 ships none).
// Thread-safety: stateless.
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PANTAU_STATUS_CONCAT_INNER_(a, b) a##b
#define PANTAU_STATUS_CONCAT_(a, b) PANTAU_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define PANTAU_RETURN_IF_ERROR(expr)                \
  do {                                              \
    ::absl::Status pantau_status_ = (expr);         \
    if (!pantau_status_.ok()) return pantau_status_; \
  } while (false)

// `lhs = value of expr`, or returns its status from the enclosing function when it is not OK.
#define PANTAU_ASSIGN_OR_RETURN(lhs, expr) \
  PANTAU_ASSIGN_OR_RETURN_IMPL_(PANTAU_STATUS_CONCAT_(pantau_statusor_, __LINE__), lhs, expr)

#define PANTAU_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
