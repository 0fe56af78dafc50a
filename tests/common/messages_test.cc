#include "common/messages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <cctype>
#include <set>
#include <sstream>

#include "common/metrology.h"
#include "common/validation.h"
#include "tests/testing/test_support.h"

namespace pantau::common {
namespace {

TEST(MessagesTest, RendersArgumentsInOrderOrByNumberAndNestedMessagesInTheSameLanguage) {
  const Message m = Msg("must be greater than 0 (got {})", -5);
  EXPECT_EQ(m.English(), "must be greater than 0 (got -5)");
  EXPECT_EQ(Render(m, Language::kIndonesian), "harus lebih dari 0 (tertulis -5)");
  // The Indonesian template takes its arguments in another order ("{5} sampai {6} kelas {4}").
  const Message n = Msg("n = Max{} / e{} = {} is outside class {}'s {} to {} for e = {}", "", "", 12000, "III", 100,
                        10000, "5 g");
  EXPECT_EQ(n.English(), "n = Max / e = 12000 is outside class III's 100 to 10000 for e = 5 g");
  EXPECT_EQ(Render(n, Language::kIndonesian), "n = Max / e = 12000 di luar 100 sampai 10000 kelas III untuk e = 5 g");
  // A message inside another: rendered in the language of the whole.
  const Message outer = Msg("delivering records failed: {}", Msg("nothing is lost: {} records are still pending on "
                                                                 "this laptop",
                                                                 3));
  EXPECT_EQ(outer.English(), "delivering records failed: nothing is lost: 3 records are still pending on this laptop");
  EXPECT_EQ(Render(outer, Language::kIndonesian),
            "pengiriman catatan gagal: tidak ada yang hilang: 3 catatan masih menunggu di laptop ini");
  // A template with no Indonesian one keeps its English words; braces in an argument stay text.
  EXPECT_EQ(Render(Msg("a newer server's {} words", "{}"), Language::kIndonesian), "a newer server's {} words");
  EXPECT_EQ(ParseLanguage("en"), Language::kEnglish);
  EXPECT_EQ(ParseLanguage(""), Language::kIndonesian);
  EXPECT_EQ(ParseLanguage("fr"), Language::kIndonesian);
}

TEST(MessagesTest, AFieldErrorCarriesItsMessageAcrossTheWireAndFallsBackToItsReason) {
  v1::FieldError sent = FieldErrorOf("price_sample.price_rupiah", Msg("must be greater than 0 (got {})", 0));
  EXPECT_EQ(sent.reason(), "must be greater than 0 (got 0)");
  v1::FieldError received;
  ASSERT_TRUE(received.ParseFromString(sent.SerializeAsString()));
  EXPECT_EQ(ReasonIn(received, Language::kIndonesian), "harus lebih dari 0 (tertulis 0)");
  EXPECT_EQ(ReasonIn(received, Language::kEnglish), "must be greater than 0 (got 0)");
  // A message this laptop does not know, or with other arguments than its template takes, and an
  // old server's error without one: the server's English words.
  v1::FieldError newer = received;
  newer.set_message_id("is something a newer server says about {}");
  EXPECT_EQ(ReasonIn(newer, Language::kIndonesian), "must be greater than 0 (got 0)");
  v1::FieldError mismatched = received;
  mismatched.add_message_args("extra");
  EXPECT_EQ(ReasonIn(mismatched, Language::kIndonesian), "must be greater than 0 (got 0)");
  v1::FieldError old;
  old.set_reason("is required");
  EXPECT_EQ(ReasonIn(old, Language::kIndonesian), "is required");
}

TEST(MessagesTest, AStatusCarriesItsMessage) {
  const absl::Status s =
      MessageStatus(absl::StatusCode::kInvalidArgument, Msg("\"{}\" is not a mass: write e.g. 3 kg, 2996 g or 500 mg", "3 ons"));
  EXPECT_EQ(s.message(), "\"3 ons\" is not a mass: write e.g. 3 kg, 2996 g or 500 mg");
  EXPECT_EQ(StatusText(s, Language::kIndonesian), "\"3 ons\" bukan massa: tulis mis. 3 kg, 2996 g atau 500 mg");
  EXPECT_EQ(MessageOf(s).English(), s.message());
  // Any other status: its text in every language.
  EXPECT_EQ(StatusText(absl::InternalError("disk full"), Language::kIndonesian), "disk full");
}

TEST(MessagesTest, AFieldIsNamedInWordsWithItsPositionInAList) {
  EXPECT_EQ(FieldLabel("price_sample.market_code", Language::kIndonesian), "Pasar");
  EXPECT_EQ(FieldLabel("correction.price_sample.price_rupiah", Language::kEnglish), "Price");
  EXPECT_EQ(FieldLabel("uttp_verification.weighing_points[1].load_mg", Language::kIndonesian), "Beban (2)");
  EXPECT_EQ(FieldLabel("outlet_audit.answers[0].item_code", Language::kEnglish), "Item (1)");
  EXPECT_EQ(FieldLabel("uttp_verification.seal_numbers[2]", Language::kIndonesian), "Tanda tera (3)");
  // No words for it, or not a path Pantau writes: the path as it is.
  EXPECT_EQ(FieldLabel("uttp_verification.mmq_ml", Language::kIndonesian), "uttp_verification.mmq_ml");
  EXPECT_EQ(FieldLabel("answers[x].item_code", Language::kIndonesian), "answers[x].item_code");
  EXPECT_EQ(FieldLabel("answers[99999999999].item_code", Language::kIndonesian), "answers[99999999999].item_code");
  EXPECT_EQ(FieldLabel("", Language::kIndonesian), "");
}

// The engine's refusals, verdicts and findings in the page's language, end to end through the
// rules themselves.
TEST(MessagesTest, TheRulesSpeakIndonesian) {
  ReferenceCatalog catalog;
  for (const auto& e : pantau::testing::TestReferenceData()) catalog.Upsert(e);
  ValidationPolicy policy;
  ValidationContext ctx{catalog, policy, pantau::testing::TestNow(), "siti"};
  v1::Record r = pantau::testing::PriceRecord(pantau::testing::TestUlid(1, 1), 13100);
  r.mutable_price_sample()->set_market_code("pasar_marabahn");
  const auto errors = ValidateRecord(r, ctx);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(ReasonIn(errors[0], Language::kIndonesian), "pasar \"pasar_marabahn\" tidak dikenal; maksudnya pasar_marabahan?");
  EXPECT_EQ(errors[0].reason(), "unknown market \"pasar_marabahn\"; did you mean pasar_marabahan?");

  v1::UttpVerification u;
  u.set_kind(v1::VERIFICATION_KIND_TERA_ULANG);
  u.set_accuracy_class("III");
  u.set_max_mg(30'000'000);
  u.set_e_mg(5'000);
  auto* p = u.add_weighing_points();
  p->set_load_mg(1'000'000);
  p->set_indication_mg(1'010'000);
  const VerdictResult v = ComputeVerdict(u, v1::UTTP_CATEGORY_NAWI, MetrologySettings{});
  ASSERT_FALSE(v.sah);
  EXPECT_EQ(v.ReasonsIn(Language::kIndonesian),
            std::vector<std::string>{"titik 1 (beban 1 kg): kesalahan 10 g melebihi BKD 2.5 g"});
  EXPECT_EQ(v.ReasonsIn(), std::vector<std::string>{"point 1 (load 1 kg): error 10 g exceeds the MPE of 2.5 g"});
}

// Every template the sources pass to Msg or MessageTemplate has an Indonesian one taking the same
// arguments, and the catalog holds no template the sources no longer say.
// The string literals (adjacent ones joined, escapes \" \\ \n read) that follow `call` at `at`
// in `source`: a call's first argument. Empty when the argument is not a literal.
std::string TemplateAt(const std::string& source, size_t at) {
  std::string out;
  size_t i = at;
  while (true) {
    while (i < source.size() && std::isspace(static_cast<unsigned char>(source[i]))) ++i;
    if (i >= source.size() || source[i] != '"') return out;
    for (++i; i < source.size() && source[i] != '"'; ++i) {
      if (source[i] == '\\' && i + 1 < source.size()) {
        ++i;
        out.push_back(source[i] == 'n' ? '\n' : source[i]);
      } else {
        out.push_back(source[i]);
      }
    }
    ++i;  // the closing quote
  }
}

TEST(MessagesTest, EveryTemplateInTheSourcesHasAnIndonesianOne) {
  const std::filesystem::path root = PANTAU_SOURCE_DIR;
  std::map<std::string, std::string> used;  // template -> a file that says it
  for (const char* dir : {"common", "client", "server"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      if (entry.path().extension() != ".cc" || entry.path().filename() == "messages_indonesian.cc") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      const std::string source = text.str();
      for (const std::string call : {"Msg(", "MessageTemplate("}) {
        for (size_t at = source.find(call); at != std::string::npos; at = source.find(call, at + 1)) {
          const bool whole_word = at == 0 || !(std::isalnum(static_cast<unsigned char>(source[at - 1])) || source[at - 1] == '_');
          if (!whole_word) continue;
          const std::string tmpl = TemplateAt(source, at + call.size());
          if (!tmpl.empty()) used.emplace(tmpl, entry.path().lexically_relative(root).string());
        }
      }
    }
  }
  ASSERT_GT(used.size(), 150u) << "the scan found too few templates to be reading the sources";
  for (const auto& [tmpl, file] : used) {
    const std::string_view indonesian = IndonesianTemplate(tmpl);
    EXPECT_FALSE(indonesian.empty()) << file << ": no Indonesian template for \"" << tmpl << "\"";
    if (!indonesian.empty()) {
      EXPECT_EQ(ArgumentCount(indonesian), ArgumentCount(tmpl)) << tmpl << " -> " << indonesian;
    }
  }
  for (std::string_view english : TranslatedTemplates()) {
    EXPECT_TRUE(used.count(std::string(english)) > 0) << "the catalog's \"" << english << "\" is said nowhere";
  }
  const std::vector<std::string_view> all = TranslatedTemplates();
  EXPECT_EQ(std::set<std::string_view>(all.begin(), all.end()).size(), all.size()) << "a template appears twice";
}

}  // namespace
}  // namespace pantau::common
