#include "common/messages.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "absl/strings/cord.h"

namespace pantau::common {
namespace {

constexpr char kPayloadUrl[] = "type.pantau/message";

constexpr char kNestedMark = '\x1f';
constexpr char kNestedSeparator = '\x1e';

std::string RenderIn(const Message& message, Language language);

// An argument as shown: a nested message rendered in `language`, any other as it is.
// A message as one string: its id, then each argument, each after `separator`.
std::string Join(const Message& m, char separator) {
  std::string out = m.id;
  for (const auto& a : m.args) {
    out.push_back(separator);
    out += a;
  }
  return out;
}

Message Split(std::string_view joined, char separator) {
  Message m;
  size_t start = 0;
  bool first = true;
  while (true) {
    const size_t end = joined.find(separator, start);
    std::string piece(joined.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (first) {
      m.id = std::move(piece);
      first = false;
    } else {
      m.args.push_back(std::move(piece));
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return m;
}

std::string ArgText(const std::string& arg, Language language) {
  if (arg.empty() || arg[0] != kNestedMark) return arg;
  return RenderIn(Split(std::string_view(arg).substr(1), kNestedSeparator), language);
}

std::string Fill(std::string_view tmpl, const std::vector<std::string>& args, Language language) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{') {
      size_t close = tmpl.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view inside = tmpl.substr(i + 1, close - i - 1);
        size_t index = next;
        bool numbered = !inside.empty() && inside.size() <= 2 &&
                        inside.find_first_not_of("0123456789") == std::string_view::npos;
        if (inside.empty() || numbered) {
          if (numbered) index = static_cast<size_t>(std::stoi(std::string(inside))) - 1;
          if (inside.empty()) ++next;
          if (index < args.size()) out += ArgText(args[index], language);
          i = close;
          continue;
        }
      }
    }
    out.push_back(tmpl[i]);
  }
  return out;
}

}  // namespace

namespace {
const std::unordered_map<std::string_view, std::string_view>& Catalog();

std::string RenderIn(const Message& message, Language language) {
  if (language == Language::kIndonesian) {
    std::string_view indonesian = IndonesianTemplate(message.id);
    if (!indonesian.empty()) return Fill(indonesian, message.args, language);
  }
  return Fill(message.id, message.args, language);
}

const std::unordered_map<std::string_view, std::string_view>& Catalog() {
  static const auto* catalog = [] {
    auto* map = new std::unordered_map<std::string_view, std::string_view>();
    for (size_t i = 0; i < internal::kIndonesianCount; ++i) {
      map->emplace(internal::kIndonesian[i].english, internal::kIndonesian[i].indonesian);
    }
    return map;
  }();
  return *catalog;
}
}  // namespace

Language ParseLanguage(std::string_view code) { return code == "en" ? Language::kEnglish : Language::kIndonesian; }

std::string Message::English() const { return RenderIn(*this, Language::kEnglish); }

std::string Render(const Message& message, Language language) { return RenderIn(message, language); }

namespace messages_internal {
std::string Nested(const Message& m) {
  Message flat{m.id, {}};
  for (const auto& a : m.args) flat.args.push_back(ArgText(a, Language::kEnglish));  // deeper messages stay English
  return kNestedMark + Join(flat, kNestedSeparator);
}
}  // namespace messages_internal

std::string_view IndonesianTemplate(std::string_view english) {
  auto it = Catalog().find(english);
  return it == Catalog().end() ? std::string_view() : it->second;
}

std::vector<std::string_view> TranslatedTemplates() {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < internal::kIndonesianCount; ++i) out.push_back(internal::kIndonesian[i].english);
  return out;
}

int ArgumentCount(std::string_view tmpl) {
  int sequential = 0;
  int highest = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '{') continue;
    size_t close = tmpl.find('}', i);
    if (close == std::string_view::npos) break;
    std::string_view inside = tmpl.substr(i + 1, close - i - 1);
    if (inside.empty()) {
      ++sequential;
    } else if (inside.size() <= 2 && inside.find_first_not_of("0123456789") == std::string_view::npos) {
      highest = std::max(highest, std::stoi(std::string(inside)));
    } else {
      continue;
    }
    i = close;
  }
  return std::max(sequential, highest);
}

v1::FieldError FieldErrorOf(std::string field, const Message& message) {
  v1::FieldError e;
  e.set_field(std::move(field));
  e.set_reason(message.English());
  e.set_message_id(message.id);
  for (const auto& a : message.args) e.add_message_args(a);
  return e;
}

std::string ReasonIn(const v1::FieldError& error, Language language) { return Render(MessageOf(error), language); }

Message MessageOf(const v1::FieldError& error) {
  Message m{error.message_id(), {error.message_args().begin(), error.message_args().end()}};
  // A message this laptop does not know (a newer server's) keeps the server's own words.
  if (m.id.empty() || IndonesianTemplate(m.id).empty() || ArgumentCount(m.id) != static_cast<int>(m.args.size())) {
    return Message{"{}", {error.reason()}};
  }
  return m;
}

namespace {

struct FieldWords {
  std::string_view field;  // the last part of a path
  std::string_view indonesian;
  std::string_view english;
};

constexpr FieldWords kFieldWords[] = {
    {"id", "Id catatan", "Record id"},
    {"device_id", "Laptop", "Laptop"},
    {"created_at", "Waktu dibuat", "Created at"},
    {"observed_at", "Waktu pengamatan", "Observed at"},
    {"body", "Isi catatan", "Content"},
    {"market_code", "Pasar", "Market"},
    {"commodity_code", "Komoditas", "Commodity"},
    {"price_rupiah", "Harga", "Price"},
    {"unit", "Satuan", "Unit"},
    {"trader", "Pedagang", "Trader"},
    {"pack_price_rupiah", "Harga kemasan", "Pack price"},
    {"pack_size_milli_units", "Ukuran kemasan", "Pack size"},
    {"confirm_reason", "Alasan konfirmasi", "Confirmation reason"},
    {"outlet_code", "Pangkalan/kios", "Outlet"},
    {"outlet_kind", "Jenis outlet", "Outlet kind"},
    {"checklist_version", "Versi daftar periksa", "Checklist version"},
    {"answers", "Jawaban", "Answers"},
    {"item_code", "Butir", "Item"},
    {"not_checked_reason", "Alasan tidak dapat diperiksa", "Why it cannot be checked"},
    {"photo_sha256", "Foto", "Photo"},
    {"findings", "Temuan", "Findings"},
    {"audit_record_id", "Audit", "Audit"},
    {"finding_code", "Temuan", "Finding"},
    {"action_code", "Tindakan", "Action"},
    {"action_date", "Tanggal tindakan", "Action date"},
    {"due_date", "Batas waktu", "Due date"},
    {"status", "Status", "Status"},
    {"instrument_id", "UTTP", "Instrument"},
    {"kind", "Jenis", "Kind"},
    {"accuracy_class", "Kelas", "Class"},
    {"max_mg", "Max", "Max"},
    {"e_mg", "e", "e"},
    {"weighing_points", "Titik uji", "Test points"},
    {"volume_runs", "Pengujian volume", "Volume runs"},
    {"load_mg", "Beban", "Load"},
    {"indication_mg", "Penunjukan", "Indication"},
    {"actual_ml", "Volume sebenarnya", "Actual volume"},
    {"indication_ml", "Penunjukan", "Indication"},
    {"seal_numbers", "Tanda tera", "Seals"},
    {"target_id", "Catatan yang dirujuk", "Record referred to"},
    {"reason", "Alasan", "Reason"},
    {"replacement", "Nilai koreksi", "Corrected values"},
};

}  // namespace

std::string FieldLabel(std::string_view path, Language language) {
  // "…weighing_points[1].load_mg": the last name, and the last position in a list (from 1).
  std::string names;
  std::string position;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '[') {
      names.push_back(path[i]);
      continue;
    }
    const size_t close = path.find(']', i);
    if (close == std::string_view::npos) return std::string(path);
    const std::string_view digits = path.substr(i + 1, close - i - 1);
    if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::string(path);
    }
    position = StrCat(std::stoi(std::string(digits)) + 1);
    i = close;
  }
  const size_t dot = names.find_last_of('.');
  const std::string leaf = dot == std::string::npos ? names : names.substr(dot + 1);
  for (const auto& w : kFieldWords) {
    if (w.field != leaf) continue;
    std::string out(language == Language::kEnglish ? w.english : w.indonesian);
    if (!position.empty()) out += StrCat(" (", position, ")");
    return out;
  }
  return std::string(path);
}

absl::Status MessageStatus(absl::StatusCode code, const Message& message) {
  absl::Status status(code, message.English());
  status.SetPayload(kPayloadUrl, absl::Cord(Join(message, '\0')));  // arguments never hold a NUL
  return status;
}

std::string StatusText(const absl::Status& status, Language language) { return Render(MessageOf(status), language); }

Message MessageOf(const absl::Status& status) {
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return Message{"{}", {std::string(status.message())}};
  return Split(std::string(*payload), '\0');
}

}  // namespace pantau::common
