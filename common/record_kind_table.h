// Internal to common/: the per-kind body validation, used by ValidateRecord.
#pragma once

#include <string>

#include "common/validation.h"

namespace pantau::common::internal {

// Checks the body of `record` (its kind's rules); adds problems to `errors`.
void ValidateRecordBody(const v1::Record& record, const ValidationContext& ctx,
                        FieldErrorList& errors);

// Shared field checks, also used by the envelope checks.
void CheckCode(FieldErrorList& errors, const std::string& path, const std::string& value,
               const ValidationPolicy& policy, bool required);
void CheckRecordReference(FieldErrorList& errors, const std::string& path,
                          const std::string& value);

}  // namespace pantau::common::internal
