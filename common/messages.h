// Messages for people, in one language per setting. An engine message (a refusal's reason, a
// finding, a verdict's reason, a warning) is an English template, where "{}" marks an argument,
// and its arguments. The template is the message's id, as gettext's msgid: the server stores and
// sends the English words (FieldError.reason) together with the id and arguments, and a laptop
// renders them in its page's language; a laptop that does not know a newer server's message
// still shows its English words. The Indonesian templates are in messages_indonesian.cc; a test
// checks that every template in the sources has one, with the same arguments.
// Thread-safety: stateless (the catalog is built once, on first use).
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"
#include "common/str_cat.h"
#include "pantau/v1/sync_service.pb.h"

namespace pantau::common {

enum class Language { kIndonesian, kEnglish };

// "en" is English; anything else (the default) Bahasa Indonesia.
Language ParseLanguage(std::string_view code);

struct Message {
  std::string id;  // the English template
  std::vector<std::string> args;

  std::string English() const;
};

namespace messages_internal {
// A message as another's argument: marked, so it is rendered in the same language. One level deep.
std::string Nested(const Message& m);
template <typename T>
std::string Arg(const T& value) {
  if constexpr (std::is_same_v<T, Message>) {
    return Nested(value);
  } else {
    return StrCat(value);
  }
}
}  // namespace messages_internal

// Msg("must be greater than 0 (got {})", value): each argument in its text form (StrCat); an
// argument that is itself a Message is rendered in the same language as the whole.
template <typename... Args>
Message Msg(std::string_view id, const Args&... args) {
  return Message{std::string(id), {messages_internal::Arg(args)...}};
}

// Marks a template that is passed on before its arguments are known (so the test that every
// template has an Indonesian one finds it): Msg(template, args...) later.
constexpr std::string_view MessageTemplate(std::string_view english) { return english; }

// The message in `language`: its Indonesian template when one exists, else its English one.
// In a template, "{}" is the next argument and "{N}" the N-th (from 1).
std::string Render(const Message& message, Language language);

// The Indonesian template of an English one, or empty when there is none.
std::string_view IndonesianTemplate(std::string_view english);
// Every English template with an Indonesian one (for tests).
std::vector<std::string_view> TranslatedTemplates();
// How many arguments a template takes: the "{}" marks, or the highest "{N}".
int ArgumentCount(std::string_view tmpl);

// A field error carrying a message: reason in English, with its id and arguments.
v1::FieldError FieldErrorOf(std::string field, const Message& message);
// The error's reason in `language` (the English reason when it carries no known message).
std::string ReasonIn(const v1::FieldError& error, Language language);
// The error's message (its reason as it is, in every language, when it carries none).
Message MessageOf(const v1::FieldError& error);

// A record field's path ("uttp_verification.weighing_points[1].load_mg") in words for people
// ("Beban, titik 2" / "Load, point 2"); the path itself when Pantau has no words for it.
std::string FieldLabel(std::string_view path, Language language);

// A status whose text is the message in English; StatusText renders it in another language.
absl::Status MessageStatus(absl::StatusCode code, const Message& message);
std::string StatusText(const absl::Status& status, Language language);
// The status's message: the one it carries, or its text as it is (in every language).
Message MessageOf(const absl::Status& status);

namespace internal {
// messages_indonesian.cc: the catalog, {English template, Indonesian template}.
struct Translation {
  std::string_view english;
  std::string_view indonesian;
};
extern const Translation kIndonesian[];
extern const size_t kIndonesianCount;
}  // namespace internal

}  // namespace pantau::common
