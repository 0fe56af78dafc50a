// Reports as XLSX workbooks for the dinas's spreadsheets: the IKK table laid out like the dinas's
// own (tujuan, sasaran, indikator, formulasi, sumber data, target, realisasi, capaian) with a
// signatory block, and any other report table. Numbers are written as numbers, missing values as
// empty cells (never 0). Files are written to a temporary name and renamed into place.
// Thread-safety: stateless.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/report/tables.h"
#include "pantau/v1/query_service.pb.h"
#include "pantau/v1/reference.pb.h"

namespace pantau::report {

// Who signs the report, printed under the table:
//   Marabahan, 28 November 2026
//   Kepala Dinas Koperasi, Perindustrian dan Perdagangan
//   (space for the signature)
//   NAMA
//   Pembina Tingkat I
//   NIP. 19700101 199003 1 001
// Empty agency, place and position come from the deployment (ApplyDeployment): nothing about one
// kabupaten is in the code.
struct Signatory {
  std::string agency;    // empty: deployment.csv's agency
  std::string place;     // empty: deployment.csv's seat
  std::string date;      // "28 November 2026"; empty: the report's day
  std::string position;  // empty: "Kepala " and the agency
  std::string name;  // empty: a line to write the name on
  std::string rank;
  std::string nip;
};

// Fills the signatory's empty agency, place and position from `deployment` (may be null).
void ApplyDeployment(Signatory& signatory, const v1::Deployment* deployment);

// "28 November 2026".
std::string IndonesianDate(absl::CivilDay day);

// Reads a signatory from a JSON object with any of the keys agency, place, date, position, name,
// rank, nip (other keys are an error, so a misspelt key is noticed). INVALID_ARGUMENT naming the
// file and the key.
absl::StatusOr<Signatory> ParseSignatory(const std::string& json_text, const std::string& file_name);

absl::Status WriteIkkXlsx(const v1::GetIndicatorTableResponse& table, const Signatory& signatory,
                          const std::string& path);
absl::Status WriteTableXlsx(const Table& table, const Signatory& signatory, const std::string& path);

// The same workbooks as bytes (for an HTTP download); written through a private temporary folder.
absl::StatusOr<std::string> IkkXlsxBytes(const v1::GetIndicatorTableResponse& table, const Signatory& signatory);
absl::StatusOr<std::string> TableXlsxBytes(const Table& table, const Signatory& signatory);

}  // namespace pantau::report
