// SPDX-License-Identifier: Apache-2.0
#include "monitor/monitored_login.hpp"

#include "base/environment.hpp"
#include "base/log_text.hpp"
#include "base/secret.hpp"
#include "channel/frames.hpp"
#include "channel/login_messages.hpp"
#include "config/trusted_files.hpp"
#include "flow/qr_code.hpp"
#include "monitor/helper_process.hpp"
#include "monitor/state_directory.hpp"
#include "privileged/local_privileged_steps.hpp"
#include "store/file_descriptor.hpp"
#include "store/handed_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>

namespace devflow {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

// How long a helper may take beyond max_wait: discovery, device request,
// JWKS, token and AWS calls, each bounded by http_timeout, and the exchange.
ChannelDeadline login_deadline(const Config &config) {
    return steady_clock::now() + seconds(config.max_wait) + seconds(8 * config.http_timeout) + seconds(10);
}

// More messages than any login sends (an hour of polls every 5 s with debug
// lines, or of pressing Enter, is well under it): a helper past it is
// flooding the host's log or the person's terminal.
constexpr int kMaxHelperMessages = 4096;

// ca_file, read as libcurl would: no owner or mode rules.
HandedFile unchecked(const TrustedFileUse &use) {
    HandedFile file;
    file.path = use.path;
    FileDescriptor fd(::open(use.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    std::string content;
    int error = 0;
    struct stat info {};
    if (!fd.valid()) {
        error = errno;
    } else if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode) ||
               static_cast<unsigned long long>(info.st_size) > use.max_bytes) {
        error = EINVAL;
    } else {
        content.resize(static_cast<std::size_t>(info.st_size));
        std::size_t done = 0;
        while (done < content.size()) {
            const ssize_t got = ::read(fd.get(), content.data() + done, content.size() - done);
            if (got <= 0) {
                error = got < 0 ? errno : EIO;
                break;
            }
            done += static_cast<std::size_t>(got);
        }
    }
    if (error == ENOENT) {
        file.state = HandedFile::State::missing;
    } else if (error != 0) {
        file.state = HandedFile::State::refused;
        file.content = "cannot read " + use.path + ": " + errno_text(error);
    } else {
        file.state = HandedFile::State::content;
        file.content = std::move(content);
    }
    return file;
}

HandedFile handed(const TrustedFileUse &use) {
    if (use.unchecked) return unchecked(use);
    HandedFile file;
    file.path = use.path;
    try {
        std::optional<std::string> content =
            read_trusted_file_if_present(use.path, trusted_file_owner(), use.max_bytes, use.secrecy);
        file.state = content ? HandedFile::State::content : HandedFile::State::missing;
        if (content) file.content = std::move(*content);
    } catch (const Failure &refusal) {
        file.state = HandedFile::State::refused;
        file.content = refusal.what();
    }
    return file;
}

StartMessage start_message(const LoginRequest &request, const std::string &config_text, const Config &config,
                           const ProviderConfig &provider, const UserAccount &user, bool debug) {
    StartMessage start;
    start.config_path = request.config_path;
    start.overrides = request.overrides;
    start.provider_name = request.provider_name;
    start.files.push_back({request.config_path, HandedFile::State::content, config_text});
    const EnvironmentLookup environment(secure_environment);
    for (const auto &use : trusted_files_read_by(config, provider, environment)) start.files.push_back(handed(use));
    start.environment = environment_read_by(provider, environment);
    start.user = user;
    start.service = request.service;
    start.remote_host = request.remote_host;
    start.local_host = request.local_host;
    start.reuse_approvals = request.reuse_approvals;
    start.debug = debug;
    return start;
}

void wipe_start(StartMessage &start) {
    for (auto &file : start.files) wipe(file.content);
    for (auto &variable : start.environment) wipe(variable.second);
}

// Serves one helper until it finishes; throws ChannelError when it breaks the
// protocol, Failure(refused) when the module's own authorization says no.
class HelperSession {
public:
    HelperSession(HelperProcess &helper, LocalPrivilegedSteps &privileged, MonitorServices &services,
                  const std::string &user, const std::string &provider, ChannelDeadline deadline, AuditRecord &audit)
        : helper_(helper), privileged_(privileged), services_(services), user_(user), provider_(provider),
          deadline_(deadline), audit_(audit) {}

    LoginResult serve() {
        for (int count = 1;; ++count) {
            if (count > kMaxHelperMessages) {
                throw ChannelError("the login helper sent more than " + std::to_string(kMaxHelperMessages) +
                                   " messages");
            }
            std::string payload =
                receive_frame(helper_.channel(), kMaxHelperMessageBytes, deadline_, "the login helper");
            WipeOnExit wipe_payload(payload);
            if (auto result = handle(payload)) return std::move(*result);
        }
    }

private:
    std::optional<LoginResult> handle(const std::string &payload) {
        switch (const MessageType type = message_type(payload)) {
        case MessageType::log: {
            const LogMessage log = decode_log(payload);
            services_.logger.log(log.level, log.line);
            return std::nullopt;
        }
        case MessageType::show: services_.conversation.show(decode_text(payload)); return std::nullopt;
        case MessageType::show_error: services_.conversation.show_error(decode_text(payload)); return std::nullopt;
        case MessageType::ask: {
            std::optional<std::string> answer = services_.conversation.ask(decode_text(payload));
            std::string reply = encode_answer(answer);
            WipeOnExit wipe_reply(reply);
            send_frame(helper_.channel(), reply, deadline_);
            return std::nullopt;
        }
        case MessageType::authorize: {
            if (approver_) throw ChannelError("the login helper asked to authorize a second identity");
            const VerifiedIdentity identity = decode_authorize(payload);
            audit_.take_identity(identity);               // before authorize: a refusal names whom it refused
            approver_ = privileged_.authorize(identity);  // throws Failure(refused)
            reused_age_ = identity.reused_age_seconds;
            send_frame(helper_.channel(), encode_authorized(*approver_), deadline_);
            return std::nullopt;
        }
        case MessageType::oidc_tokens: {
            require_authorized(type);
            privileged_.write_oidc_token_cache(decode_oidc_tokens(payload));
            return std::nullopt;
        }
        case MessageType::aws_tokens: {
            require_authorized(type);
            const AwsTokensMessage tokens = decode_aws_tokens(payload);
            privileged_.write_aws_cli_cache(tokens.entry, tokens.file_name, tokens.use);
            return std::nullopt;
        }
        case MessageType::finished: return finished(decode_finished(payload));
        case MessageType::start:
        case MessageType::answer:
        case MessageType::authorized: break;
        }
        throw ChannelError(std::string("the login helper sent a ") + message_type_name(message_type(payload)) +
                           " message, which only the module sends");
    }

    void require_authorized(MessageType type) const {
        if (!approver_) {
            throw ChannelError(std::string("the login helper sent ") + message_type_name(type) +
                               " before the login was authorized");
        }
    }

    LoginResult finished(FinishedMessage message) {
        expect_nothing_more();
        if (message.outcome == Outcome::success) {
            if (!approver_) throw ChannelError("the login helper reported success for a login never authorized");
            return logged_in(user_, provider_, reused_age_, *approver_);
        }
        return LoginResult{message.outcome, std::move(message.log_line), std::move(message.user_message)};
    }

    // After its answer the helper has nothing more to say: it closes the
    // channel and exits. A second answer (or anything) is a broken helper.
    void expect_nothing_more() {
        const ChannelDeadline soon = std::min(deadline_, steady_clock::now() + seconds(2));
        try {
            std::string extra = receive_frame(helper_.channel(), kMaxHelperMessageBytes, soon, "the login helper");
            wipe(extra);
        } catch (const ChannelError &) {
            return;  // closed (or silent until the deadline): as it should be
        }
        throw ChannelError("the login helper sent another message after its answer");
    }

    HelperProcess &helper_;
    LocalPrivilegedSteps &privileged_;
    MonitorServices &services_;
    const std::string &user_;
    const std::string &provider_;
    ChannelDeadline deadline_;
    AuditRecord &audit_;
    std::optional<std::string> approver_;
    std::optional<long> reused_age_;
};

LoginResult run_monitored(const LoginRequest &request, const HelperSettings &settings, MonitorServices &services,
                          AuditRecord &audit) {
    std::string config_text = read_config_file(request.config_path);
    WipeOnExit wipe_config(config_text);
    const Config config = parse_config(config_text, request.config_path, request.overrides);
    const ProviderConfig &provider = config.provider(request.provider_name);
    audit.provider = basics_of(provider).name;
    if (const auto *oidc = std::get_if<OidcProviderConfig>(&provider)) audit.issuer = oidc->issuer;
    // The module's own reading, not the helper's word, decides whether the
    // text the helper asks to show may carry a color QR code's colors.
    if (qr_mode_uses_colors(config.qr)) services.conversation.allow_qr_colors();
    const UserAccount user = lookup_user(request.user);
    const std::optional<HelperAccount> account = helper_account(settings.account);
    if (account) prepare_state_directory(config.state_dir, *account, services.logger);

    LocalPrivilegedSteps privileged(provider, request.user, user, services.privileges, services.logger);
    const ChannelDeadline deadline = login_deadline(config);
    HelperProcess helper(settings.path, account);
    try {
        StartMessage start = start_message(request, config_text, config, provider, user, settings.debug);
        std::string payload = encode_start(start);
        wipe_start(start);
        WipeOnExit wipe_payload(payload);
        send_frame(helper.channel(), payload, deadline);
        HelperSession session(helper, privileged, services, request.user, basics_of(provider).name, deadline, audit);
        LoginResult result = session.serve();
        const std::string ending = helper.stop(std::chrono::milliseconds(500));
        if (!ending.empty() && ending != "exited with status 0") services.logger.debug("the login helper " + ending);
        return result;
    } catch (const ChannelError &error) {
        const std::string ending = helper.stop(std::chrono::milliseconds(200));
        fail_unavailable(std::string("login helper: ") + error.what() +
                         (ending.empty() ? std::string() : "; the helper " + ending));
    }
}

}  // namespace

LoginResult monitored_login(const LoginRequest &request, const HelperSettings &helper, MonitorServices &services,
                            AuditRecord &audit) noexcept {
    return guarded_login([&] { return run_monitored(request, helper, services, audit); });
}

}  // namespace devflow
