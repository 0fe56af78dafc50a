#include "server/service/ingest_service.h"

#include "common/messages.h"
#include "common/checklists.h"
#include "common/dates.h"
#include "common/metrology.h"
#include "common/record_kinds.h"
#include "common/scope.h"
#include "common/status_macros.h"
#include "common/str_cat.h"
#include "common/ulid.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/service/digest.h"

namespace pantau::service {

namespace {

std::string DeterministicBytes(const v1::Record& record) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  record.SerializeToCodedStream(&coded);
  coded.Trim();
  return bytes;
}

}  // namespace

absl::StatusOr<v1::GetRecordCountsResponse> CountRecords(storage::RecordStore& records) {
  auto counts = records.CountByKind();
  if (!counts.ok()) return counts.status();
  v1::GetRecordCountsResponse out;
  uint64_t total = 0;
  for (auto kind : common::AllRecordKinds()) {
    v1::RecordCount* c = out.add_counts();
    c->set_kind(std::string(common::KindName(kind)));
    c->set_count((*counts)[static_cast<size_t>(kind)]);
    total += c->count();
  }
  out.set_total(total);
  return out;
}

std::string RecordFingerprint(const v1::Record& record) { return Sha256(DeterministicBytes(record)); }

absl::StatusOr<std::vector<v1::FieldError>> IngestService::CheckAgainstStored(
    const v1::Record& record, const common::ReferenceCatalog& catalog, const BatchAudits& batch) {
  std::vector<v1::FieldError> errors;
  const v1::FollowUp* f = record.has_follow_up() ? &record.follow_up()
                          : record.has_correction() && record.correction().has_follow_up()
                              ? &record.correction().follow_up()
                              : nullptr;
  if (f == nullptr) return errors;
  const std::string at = record.has_follow_up() ? "follow_up." : "correction.follow_up.";
  // The action must be a step of the ladder of the audited outlet's kind, the finding one of the
  // audit's (common/checklists.h, as the laptop checks). An audit not stored yet (another laptop
  // has not synced) cannot be checked here and is not held against it.
  PANTAU_ASSIGN_OR_RETURN(auto audit, AuditOf(f->audit_record_id(), batch));
  if (!audit) return errors;
  for (auto& e : common::FollowUpProblems(*f, at, *audit, catalog)) errors.push_back(std::move(e));
  return errors;
}

absl::StatusOr<std::vector<v1::FieldError>> IngestService::CheckChangeRights(
    const v1::Record& record, const Principal& pusher, const common::ReferenceCatalog& catalog,
    const BatchIds& batch, const std::vector<storage::RecordWrite>& writes) {
  std::vector<v1::FieldError> errors;
  const bool is_void = record.has_void_();
  if (!is_void && !record.has_correction()) {
    if (pusher.role == v1::ROLE_SUPERVISOR) {
      errors.push_back(common::FieldErrorOf(
          "body", common::Msg("account \"{}\" is a supervisor: supervisors send only corrections and voids; new field "
                              "records come from inspectors",
                              pusher.name)));
    }
    return errors;
  }
  const std::string field = is_void ? "void.target_id" : "correction.target_id";
  const std::string& target_id = is_void ? record.void_().target_id() : record.correction().target_id();
  const v1::Record* target = nullptr;
  std::optional<v1::StoredRecord> stored;
  if (auto it = batch.find(target_id); it != batch.end()) {
    target = &writes[it->second].stored.record();
  } else {
    PANTAU_ASSIGN_OR_RETURN(stored, records_.Get(target_id));
    if (stored) target = &stored->record();
  }
  if (target == nullptr) {
    errors.push_back(common::FieldErrorOf(
        field, is_void ? common::Msg("record {} is not stored on the server (never delivered, or refused), so there is "
                                     "nothing to void; if it was refused, drop it instead",
                                     target_id)
                       : common::Msg("record {} is not stored on the server (never delivered, or refused), so there is "
                                     "nothing to correct; if it was refused, fix it with a new record instead",
                                     target_id)));
    return errors;
  }
  const bool may_change_others = pusher.role == v1::ROLE_SUPERVISOR || pusher.role == v1::ROLE_ADMIN;
  if (target->author() != pusher.name && !may_change_others) {
    errors.push_back(common::FieldErrorOf(
        field, is_void ? common::Msg("record {} was recorded by \"{}\"; only its author, a supervisor or an admin may "
                                     "void it",
                                     target_id, target->author())
                       : common::Msg("record {} was recorded by \"{}\"; only its author, a supervisor or an admin may "
                                     "correct it",
                                     target_id, target->author())));
    return errors;
  }
  if (!common::BidangInScope(pusher.scope, common::kFieldRecordsBidang)) {
    errors.push_back(common::FieldErrorOf(
        field, common::Msg("account \"{}\" is limited to bidang {}; field records are bidang {}'s", pusher.name,
                           StrJoin(pusher.scope.bidang(), ", "), common::kFieldRecordsBidang)));
    return errors;
  }
  if (pusher.scope.kecamatan_codes_size() > 0) {
    auto place = common::PlaceOf(*target, catalog);
    if (!place || !common::KecamatanInScope(pusher.scope, place->kecamatan)) {
      const std::string assigned = StrJoin(pusher.scope.kecamatan_codes(), ", ");
      errors.push_back(common::FieldErrorOf(
          field, place ? common::Msg("record {} is at {} in kecamatan {}, outside the kecamatan assigned to account "
                                     "\"{}\" ({})",
                                     target_id, place->code, place->kecamatan.empty() ? "-" : place->kecamatan,
                                     pusher.name, assigned)
                       : common::Msg("record {} has no place in the reference data, so it is outside the kecamatan "
                                     "assigned to account \"{}\" ({})",
                                     target_id, pusher.name, assigned)));
    }
  }
  return errors;
}

std::vector<v1::FieldError> ScopeErrors(const v1::Record& record, const Principal& pusher,
                                        const common::ReferenceCatalog& catalog) {
  return common::OutsideScopeErrors(record, pusher.name, pusher.scope, catalog);
}

absl::StatusOr<std::optional<v1::OutletAudit>> IngestService::AuditOf(std::string_view audit_id,
                                                                       const BatchAudits& batch) {
  if (auto it = batch.find(audit_id); it != batch.end()) return it->second;
  PANTAU_ASSIGN_OR_RETURN(auto audit, records_.Get(audit_id));
  if (!audit || !audit->record().has_outlet_audit()) return std::nullopt;
  return audit->record().outlet_audit();
}

absl::StatusOr<bool> IngestService::AttachAuditOutlet(v1::Record& record, const BatchAudits& batch) {
  v1::FollowUp* f = record.has_follow_up() ? record.mutable_follow_up()
                    : record.has_correction() && record.correction().has_follow_up()
                        ? record.mutable_correction()->mutable_follow_up()
                        : nullptr;
  if (f == nullptr) return false;
  PANTAU_ASSIGN_OR_RETURN(auto audit, AuditOf(f->audit_record_id(), batch));
  if (!audit) return false;
  f->set_audit_outlet_code(audit->outlet_code());
  return true;
}

absl::StatusOr<v1::PushResponse> IngestService::Push(const Principal& pusher,
                                                     v1::PushRequest request) {
  const size_t n = static_cast<size_t>(request.records_size());
  if (n > options_.max_batch_records) {
    return absl::ResourceExhaustedError(StrCat("a batch of ", n, " records is over the limit of ",
                                               options_.max_batch_records,
                                               "; send smaller batches"));
  }
  const absl::Time now = clock_.Now();
  const absl::Time started = absl::Now();  // for the latency metric: real time, whatever clock_ says
  const auto catalog = reference_.catalog();
  const common::ValidationContext ctx{*catalog, options_.policy, now, pusher.name};
  std::vector<std::string_view> kinds(n);  // each record's kind name, for the metrics

  v1::PushResponse response;
  response.set_batch_number(request.batch_number());
  std::vector<storage::RecordWrite> writes;
  std::vector<size_t> write_positions;  // batch position of each write
  BatchAudits batch_audits;             // audits of this batch, for follow-ups in it
  BatchIds batch_ids;                   // accepted records of this batch, for corrections and voids in it
  writes.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    v1::RecordResult* result = response.add_results();
    result->set_index(static_cast<uint32_t>(i));
    result->set_record_id(request.records(static_cast<int>(i)).id());

    v1::Record& record = *request.mutable_records(static_cast<int>(i));
    if (auto kind = common::KindOf(record)) kinds[i] = common::KindName(*kind);
    record.set_author(pusher.name);
    std::string record_bytes = DeterministicBytes(record);
    std::string fingerprint = Sha256(record_bytes);
    std::vector<v1::FieldError> errors = common::ValidateRecord(record, ctx);
    if (errors.empty()) {
      PANTAU_ASSIGN_OR_RETURN(errors, CheckAgainstStored(record, *catalog, batch_audits));
    }
    if (errors.empty()) {
      PANTAU_ASSIGN_OR_RETURN(errors, CheckChangeRights(record, pusher, *catalog, batch_ids, writes));
    }
    // A follow-up carries its audit's outlet (for the IKK breakdowns and the scope check).
    bool outlet = false;
    if (errors.empty()) {
      PANTAU_ASSIGN_OR_RETURN(outlet, AttachAuditOutlet(record, batch_audits));
      errors = ScopeErrors(record, pusher, *catalog);
    }
    if (!errors.empty()) {
      // A record accepted earlier stays a harmless duplicate even when it would not pass today's
      // checks (reference data changed, the clock moved): the laptop must be able to retry.
      if (common::IsValidUlid(record.id())) {
        PANTAU_ASSIGN_OR_RETURN(auto stored, records_.Get(record.id()));
        if (stored && stored->content_sha256() == fingerprint) {
          result->set_outcome(v1::PUSH_OUTCOME_DUPLICATE);
          continue;
        }
      }
      result->set_outcome(v1::PUSH_OUTCOME_INVALID);
      result->set_message(common::DescribeRecordErrors(record.id(), i, errors));
      for (auto& e : errors) *result->add_errors() = std::move(e);
      continue;
    }
    // The stored verdict of a UTTP verification is the one computed here; the laptop's claim is
    // kept beside it. The fingerprint stays that of the record as sent, so a replay is a duplicate.
    // Likewise an outlet audit's findings: the checklist rules run here, with the HET in force
    // on the audit's local day.
    const bool verdict = common::AttachComputedVerdict(record, *catalog, options_.metrology).has_value();
    const bool findings = common::AttachComputedFindings(
        record, *catalog, absl::ToCivilDay(common::FromTimestamp(record.observed_at()), options_.zone));
    if (verdict || findings || outlet) record_bytes = DeterministicBytes(record);
    if (record.has_outlet_audit()) batch_audits[record.id()] = record.outlet_audit();
    batch_ids.emplace(record.id(), writes.size());
    storage::RecordWrite& write = writes.emplace_back();
    write.kind = *common::KindOf(record);
    write.index = common::IndexEntriesOf(record);
    *write.stored.mutable_received_at() = common::ToTimestamp(now);
    write.stored.set_content_sha256(std::move(fingerprint));
    write.record_bytes = std::move(record_bytes);
    write.stored.mutable_record()->Swap(&record);
    write_positions.push_back(i);
  }

  if (!writes.empty()) {
    PANTAU_ASSIGN_OR_RETURN(auto outcomes, records_.Append(std::move(writes)));
    for (size_t k = 0; k < outcomes.size(); ++k) {
      v1::RecordResult* result = response.mutable_results(static_cast<int>(write_positions[k]));
      switch (outcomes[k]) {
        case storage::AppendOutcome::kInserted:
          result->set_outcome(v1::PUSH_OUTCOME_ACCEPTED);
          break;
        case storage::AppendOutcome::kDuplicate:
          result->set_outcome(v1::PUSH_OUTCOME_DUPLICATE);
          break;
        case storage::AppendOutcome::kConflict: {
          result->set_outcome(v1::PUSH_OUTCOME_CONFLICT);
          v1::FieldError* e = result->add_errors();
          *e = common::FieldErrorOf("id", common::Msg("a different record with this id is already stored; the stored "
                                                      "one is kept"));
          result->set_message(common::DescribeRecordErrors(result->record_id(),
                                                           write_positions[k], {*e}));
          break;
        }
      }
    }
  }
  for (const auto& r : response.results()) {
    if (metrics_ != nullptr) metrics_->CountRecord(kinds[r.index()], r.outcome());
    switch (r.outcome()) {
      case v1::PUSH_OUTCOME_ACCEPTED:
        counters_.accepted++;
        break;
      case v1::PUSH_OUTCOME_DUPLICATE:
        counters_.duplicate++;
        break;
      case v1::PUSH_OUTCOME_CONFLICT:
        counters_.conflict++;
        break;
      default:
        counters_.invalid++;
        break;
    }
  }
  counters_.batches++;
  if (metrics_ != nullptr) metrics_->ObservePushBatch(absl::Now() - started);
  return response;
}

}  // namespace pantau::service
