// SPDX-License-Identifier: Apache-2.0
// A login helper gone wrong, for pam.separation: the module starts it in
// place of pam-device-flow-helper (module argument helper=), and it breaks
// the protocol in the way its file name says. The module execs every helper
// with the same argv[0], so the test copies this binary once per behaviour
// and the behaviour is read from /proc/self/exe.
//
//   hangs              reads the start message, then never answers
//   sends_garbage      a frame whose version byte is wrong
//   sends_oversized    a frame header announcing 4 GiB - 1
//   exits_early        reads the start message and exits without a word
//   crashes            reads the start message and dies of SIGSEGV
//   answers_twice      two "finished" answers
//   sends_tokens_first tokens to write before any authorization
//   claims_success     "finished: success" without ever asking to authorize
//   forges_identity    asks the module to authorize "bob" for the PAM user
//   spams_logs         an endless stream of log lines, one after another
//   paints_the_terminal  shows, asks and reports text full of escape sequences:
//                      the QR colors among others, and sequences that hide or
//                      move text
#include "channel/frames.hpp"
#include "channel/login_messages.hpp"
#include "privileged/verified_identity.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstring>
#include <string>

namespace {

using devflow::ChannelDeadline;

constexpr int kChannel = 3;

// The three QR color sequences the module may let through, each among
// sequences it must not: clear screen, a window title, black on black,
// concealed text, the QR colors with one more parameter, a cursor move.
const std::string kPaint =
    "A\x1b[30;47mB\x1b[37;40mC\x1b[0mD\x1b[2JE\x1b]0;pwned\x07"
    "F\x1b[30;40mG\x1b[8mH\x1b[30;47;8mI\x1b[1;1HJ";

ChannelDeadline in_seconds(int seconds) { return std::chrono::steady_clock::now() + std::chrono::seconds(seconds); }

std::string behaviour() {
    char path[PATH_MAX] = {};
    const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0) return {};
    const std::string text(path, static_cast<std::size_t>(length));
    return text.substr(text.rfind('/') + 1);
}

void send(const std::string &payload) { devflow::send_frame(kChannel, payload, in_seconds(5)); }

// Waits until the module closes the channel (or a minute passes), so what
// the module sees is the message, not the helper's exit.
void wait_for_the_module() {
    char byte = 0;
    for (int i = 0; i < 60 && ::read(kChannel, &byte, 1) > 0; ++i) {
    }
}

std::string finished(devflow::Outcome outcome) { return devflow::encode_finished({outcome, "hostile helper", ""}); }

int misbehave(const std::string &how) {
    if (how == "sends_oversized") {
        const unsigned char header[] = {0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4};
        if (::write(kChannel, header, sizeof header) < 0) return 1;
        wait_for_the_module();
        return 0;
    }
    devflow::receive_frame(kChannel, devflow::kMaxStartMessageBytes, in_seconds(30), "the module");
    if (how == "hangs") {
        for (;;) ::pause();
    } else if (how == "sends_garbage") {
        send(std::string("\xee\x01 not a message of any version", 31));
    } else if (how == "exits_early") {
        return 0;
    } else if (how == "crashes") {
        ::signal(SIGSEGV, SIG_DFL);  // a sanitizer build's handler would turn the crash into exit(1)
        ::raise(SIGSEGV);
    } else if (how == "answers_twice") {
        send(finished(devflow::Outcome::denied));
        send(finished(devflow::Outcome::denied));
    } else if (how == "sends_tokens_first") {
        devflow::TokenSet tokens;
        tokens.access_token = devflow::Secret("stolen");
        send(devflow::encode_oidc_tokens(tokens));
    } else if (how == "claims_success") {
        send(finished(devflow::Outcome::success));
    } else if (how == "forges_identity") {
        devflow::VerifiedIdentity identity;
        identity.claims = {{"preferred_username", "bob"}, {"sub", "bob"}};
        send(devflow::encode_authorize(identity, {"preferred_username", "sub"}));
        devflow::receive_frame(kChannel, devflow::kMaxModuleMessageBytes, in_seconds(30), "the module");
        send(finished(devflow::Outcome::success));
    } else if (how == "paints_the_terminal") {
        send(devflow::encode_text(devflow::MessageType::show, kPaint));
        send(devflow::encode_text(devflow::MessageType::ask, kPaint));
        devflow::receive_frame(kChannel, devflow::kMaxModuleMessageBytes, in_seconds(30), "the module");
        send(devflow::encode_finished({devflow::Outcome::denied, "hostile helper", kPaint}));
    } else if (how == "spams_logs") {
        for (;;) send(devflow::encode_log({devflow::LogLevel::info, "hostile helper says hello"}));
    } else {
        return 3;
    }
    wait_for_the_module();
    return 0;
}

}  // namespace

int main() {
    try {
        return misbehave(behaviour());
    } catch (...) {
        return 1;
    }
}
