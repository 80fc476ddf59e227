// SPDX-License-Identifier: Apache-2.0
// Tokens must not stay behind in memory the module frees (docs/security.md):
// sshd and sudo live on after the login, and a later bug or a core dump must
// not find them. This executable replaces the global operator new and delete
// and looks at every block as it is freed; a test fails when a freed block
// still holds the marker it planted in a token, a client secret or a state
// entry.
#include "base/clock.hpp"
#include "base/json_fields.hpp"
#include "oidc/oidc_device_client.hpp"
#include "store/state_store.hpp"

#include "fake_clock.hpp"
#include "test_files.hpp"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "cmocka_cpp.hpp"

namespace {

// Long enough never to sit in a std::string's inline buffer.
constexpr std::string_view kMarker = "MARKER-7f3a9c1e5d2b-secret-that-must-be-wiped";

struct FreedBlockScanner {
    bool active = false;
    int blocks_with_marker = 0;
};
FreedBlockScanner scanner;

void scan(void *block) noexcept {
    if (!scanner.active || block == nullptr) return;
    const std::size_t size = malloc_usable_size(block);
    if (size < kMarker.size()) return;
    if (memmem(block, size, kMarker.data(), kMarker.size()) != nullptr) ++scanner.blocks_with_marker;
}

}  // namespace

// Replaceable global allocation functions (both halves, so a sanitizer build
// pairs them too).
void *operator new(std::size_t size) {
    if (void *block = std::malloc(size == 0 ? 1 : size)) return block;
    throw std::bad_alloc();
}
void *operator new[](std::size_t size) { return operator new(size); }
void operator delete(void *block) noexcept {
    scan(block);
    std::free(block);
}
void operator delete[](void *block) noexcept { operator delete(block); }
void operator delete(void *block, std::size_t) noexcept { operator delete(block); }
void operator delete[](void *block, std::size_t) noexcept { operator delete(block); }

namespace {

using devflow::FakeClock;
using devflow::parse_token_answer;
using devflow::PollStatus;
using devflow::StateStore;
using devflow::TimePoint;
using devflow::test::TempDir;

class Scanning {
public:
    Scanning() {
        scanner.blocks_with_marker = 0;
        scanner.active = true;
    }
    Scanning(const Scanning &) = delete;
    Scanning &operator=(const Scanning &) = delete;
    ~Scanning() { scanner.active = false; }
    int found() const { return scanner.blocks_with_marker; }
};

// The scanner itself: an unwiped string with the marker is seen.
void the_scanner_sees_an_unwiped_secret(void **) {
    Scanning scanning;
    {
        std::string leaked = "prefix " + std::string(kMarker);
        assert_true(leaked.size() > kMarker.size());
    }
    assert_true(scanning.found() > 0);
}

// nlohmann_json's lexer keeps the last string token it read in buffers it
// frees without wiping (docs/security.md, "Secrets in memory"): each document
// here ends with a padding member longer than any marker, so what is left of
// the lexer's work is padding, and what the scanner finds is ours.
std::string padding_member() { return R"(,"padding":")" + std::string(2 * kMarker.size() + 32, 'p') + R"("})"; }

void a_token_answer_leaves_no_token_behind(void **) {
    std::string body = R"({"access_token":")" + std::string(kMarker) + R"(-access","token_type":"Bearer",)" +
                       R"("refresh_token":")" + std::string(kMarker) + R"(-refresh","expires_in":300)" +
                       padding_member();
    {
        Scanning scanning;
        {
            auto result = parse_token_answer(200, body, TimePoint{std::chrono::seconds{1800000000}});
            assert_int_equal(static_cast<int>(result.status), static_cast<int>(PollStatus::approved));
        }                     // the Secrets wipe themselves
        devflow::wipe(body);  // the caller's copy is the caller's to wipe
        assert_int_equal(scanning.found(), 0);
    }
}

// An aws-sso approval record holds access and refresh tokens and the client
// secret: get() must wipe the file's text and the parsed entry.
void a_state_entry_leaves_no_secret_behind(void **) {
    TempDir dir;
    FakeClock clock;
    StateStore state(dir.path() + "/state", clock);
    const std::string key = "approval:corp:alice";
    const nlohmann::json value = {{"refreshToken", std::string(kMarker)}};
    std::string text = nlohmann::json({{"key", key}, {"stored_at", 1700000000}, {"value", value.dump()}}).dump();
    text.pop_back();  // the closing brace: the padding member goes last
    text += padding_member();
    devflow::test::write_text(dir.path() + "/state/" + StateStore::file_name_for(key), text, 0600);
    devflow::wipe(text);
    Scanning scanning;
    {
        auto stored = state.get(key, std::chrono::seconds(60));
        assert_true(stored.has_value());
        assert_non_null(std::strstr(stored->c_str(), kMarker.data()));
        devflow::wipe(*stored);  // what get() returns is the caller's to wipe
    }
    assert_int_equal(scanning.found(), 0);
}

// The client secret in a request: the fields and the header are the
// caller's to wipe (post_form and HttpRequest do), and Basic's joined and
// encoded copies are wiped before they are freed.
void client_authentication_leaves_no_secret_behind(void **) {
    using devflow::ClientAuthentication;
    using devflow::ClientAuthMethod;
    Scanning scanning;
    for (const ClientAuthMethod method :
         {ClientAuthMethod::client_secret_basic, ClientAuthMethod::client_secret_post}) {
        const ClientAuthentication authentication =
            ClientAuthentication::with_secret(method, "bastion", devflow::Secret(std::string(kMarker)));
        devflow::FormFields fields;
        std::vector<std::string> headers;
        authentication.add_to("https://idp.example/token", fields, headers);
        for (auto &field : fields) devflow::wipe(field.second);
        for (auto &header : headers) devflow::wipe(header);
    }
    assert_int_equal(scanning.found(), 0);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_scanner_sees_an_unwiped_secret),
        cmocka_unit_test(a_token_answer_leaves_no_token_behind),
        cmocka_unit_test(a_state_entry_leaves_no_secret_behind),
        cmocka_unit_test(client_authentication_leaves_no_secret_behind),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
