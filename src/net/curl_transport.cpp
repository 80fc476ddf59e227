// SPDX-License-Identifier: Apache-2.0
#include "net/curl_transport.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "base/secret.hpp"
#include "net/scrubbed_environment.hpp"
#include "net/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string_view>

namespace devflow {
namespace {

// Header lines may hold a bearer token or an AWS session token: wiped before
// they are freed, on every path.
struct CurlListDeleter {
    void operator()(curl_slist *list) const noexcept {
        for (curl_slist *item = list; item != nullptr; item = item->next) {
            wipe(item->data, std::char_traits<char>::length(item->data));
        }
        curl_slist_free_all(list);
    }
};

struct ReceiveState {
    HttpResponse *response;
    std::size_t limit;
    bool over_limit = false;
};

extern "C" size_t receive_body(char *data, size_t size, size_t count, void *user) {
    auto *state = static_cast<ReceiveState *>(user);
    const std::size_t bytes = size * count;
    if (state->response->body.size() + bytes > state->limit) {
        state->over_limit = true;
        return 0;  // makes curl fail with CURLE_WRITE_ERROR
    }
    // Grow by hand so a reallocation does not leave token bytes behind.
    std::string &body = state->response->body;
    if (body.size() + bytes > body.capacity()) {
        std::string bigger;
        bigger.reserve(std::max(body.capacity() * 2, body.size() + bytes));
        bigger.assign(body);
        wipe(body);
        body.swap(bigger);
    }
    body.append(data, bytes);
    return bytes;
}

extern "C" size_t receive_header(char *data, size_t size, size_t count, void *user) {
    auto *state = static_cast<ReceiveState *>(user);
    const std::size_t bytes = size * count;
    std::string line(data, bytes);
    auto colon = line.find(':');
    if (colon != std::string::npos && state->response->headers.size() < 200) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        auto first = value.find_first_not_of(" \t");
        auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
        state->response->headers[name] = value;
    } else if (line.rfind("HTTP/", 0) == 0) {
        state->response->headers.clear();  // a new response (e.g. after 100 Continue)
    }
    return bytes;
}

template <typename Value>
void set_option(CURL *curl, CURLoption option, Value value) {
    if (curl_easy_setopt(curl, option, value) != CURLE_OK) {
        fail_system("libcurl refused option " + std::to_string(static_cast<int>(option)));
    }
}

// The scheme, host and path of a URL, for messages: never the query.
std::string describe(const std::string &url) {
    auto cut = url.find_first_of("?#");
    return cut == std::string::npos ? url : url.substr(0, cut);
}

bool is_accept_header(const std::string &header) {
    constexpr std::string_view kName = "accept:";
    if (header.size() < kName.size()) return false;
    return std::equal(kName.begin(), kName.end(), header.begin(),
                      [](char want, char got) { return want == std::tolower(static_cast<unsigned char>(got)); });
}

// The request's header lines; each is wiped before it is freed.
using HeaderList = std::unique_ptr<curl_slist, CurlListDeleter>;

void add_header(HeaderList &headers, const std::string &header) {
    curl_slist *extended = curl_slist_append(headers.get(), header.c_str());
    if (extended == nullptr) fail_system("out of memory building HTTP headers");
    headers.release();
    headers.reset(extended);
}

// libcurl computes the signature (CURLOPT_AWS_SIGV4) from the key pair, given
// as user name and password: separately, so no joined "AKID:SECRET" buffer
// exists and a ':' cannot shift the split. The session token goes in a header
// that libcurl signs with the others; the header list is wiped after the call.
void sign_with_sigv4(CURL *handle, const AwsSigning &signing, HeaderList &headers) {
    if (signing.provider.rfind("aws:amz:", 0) != 0 || signing.access_key_id.empty() ||
        signing.secret_access_key.empty()) {
        fail_system("incomplete AWS signing settings for " + signing.provider);
    }
    set_option(handle, CURLOPT_AWS_SIGV4, signing.provider.c_str());
    set_option(handle, CURLOPT_USERNAME, signing.access_key_id.reveal().c_str());
    set_option(handle, CURLOPT_PASSWORD, signing.secret_access_key.reveal().c_str());
    if (!signing.session_token.empty()) {
        std::string header = "X-Amz-Security-Token: " + signing.session_token.reveal();
        WipeOnExit wipe_header(header);
        add_header(headers, header);
    }
}

// http://169.254.169.254 or http://[fd00:ec2::254], any port and path.
bool is_instance_metadata_url(const std::string &text) {
    const std::optional<Url> url = parse_url(text);
    return url && url->scheme == "http" && (url->host == "169.254.169.254" || url->host == "[fd00:ec2::254]");
}

// Only https, or http to a loopback address; http to the instance metadata
// service too when the request says it is for IMDS.
void refuse_unsafe_url(const HttpRequest &request) {
    if (!is_secure_url(request.url) && !(request.instance_metadata && is_instance_metadata_url(request.url))) {
        // Not a URL we accept, so not one known to be printable either.
        fail_unavailable("refusing to contact " + quote_for_log(describe(request.url), 512) +
                         ": only https, or http to a loopback address, is allowed");
    }
}

// The URL, the protocols, TLS verification always on, no redirects, the
// timeouts, the size cap, our user agent and where libcurl puts its error text.
void set_transfer_options(CURL *handle, const HttpRequest &request, const TransportSettings &settings,
                          char *error_buffer) {
    set_option(handle, CURLOPT_URL, request.url.c_str());
    set_option(handle, CURLOPT_NOSIGNAL, 1L);
    set_option(handle, CURLOPT_PROTOCOLS_STR, "https,http");
    set_option(handle, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    set_option(handle, CURLOPT_FOLLOWLOCATION, 0L);
    set_option(handle, CURLOPT_SSL_VERIFYPEER, 1L);
    set_option(handle, CURLOPT_SSL_VERIFYHOST, 2L);
    set_option(handle, CURLOPT_CONNECTTIMEOUT, std::min(settings.timeout_seconds, 10L));
    set_option(handle, CURLOPT_TIMEOUT, settings.timeout_seconds);
    set_option(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings.max_response_bytes));
    set_option(handle, CURLOPT_USERAGENT, "pam_device_flow/" DEVFLOW_VERSION);
    set_option(handle, CURLOPT_ERRORBUFFER, error_buffer);
}

void set_proxy_and_trust(CURL *handle, const HttpRequest &request, const TransportSettings &settings) {
    // Only the configured proxy: an empty string also disables the
    // environment's proxies, which belong to the user, not to the admin.
    set_option(handle, CURLOPT_PROXY, request.instance_metadata ? "" : settings.proxy.c_str());
    // Set, even empty, so libcurl does not read no_proxy/NO_PROXY: the caller's
    // environment must not route a request around the admin's proxy.
    set_option(handle, CURLOPT_NOPROXY, "");
    if (!settings.ca_file.empty()) {
        // ca_file replaces the system store: also drop libcurl's built-in CA
        // path (Debian: /etc/ssl/certs), else every system CA still counts.
        // An https proxy keeps the system store: the IdP's TLS runs end to end
        // inside the tunnel and is verified against ca_file all the same.
        if (settings.ca_pem.empty()) {
            set_option(handle, CURLOPT_CAINFO, settings.ca_file.c_str());
        } else {
            curl_blob blob{const_cast<char *>(settings.ca_pem.data()), settings.ca_pem.size(), CURL_BLOB_COPY};
            set_option(handle, CURLOPT_CAINFO_BLOB, &blob);
        }
        set_option(handle, CURLOPT_CAPATH, static_cast<const char *>(nullptr));
    }
}

void set_receivers(CURL *handle, ReceiveState &state) {
    set_option(handle, CURLOPT_WRITEFUNCTION, receive_body);
    set_option(handle, CURLOPT_WRITEDATA, &state);
    set_option(handle, CURLOPT_HEADERFUNCTION, receive_header);
    set_option(handle, CURLOPT_HEADERDATA, &state);
}

// The caller's headers, Accept: application/json unless the caller asks for
// something else (STS answers XML), and the SigV4 signing; handed to libcurl,
// which uses the list until the transfer ends.
HeaderList set_headers(CURL *handle, const HttpRequest &request) {
    HeaderList headers;
    for (const auto &header : request.headers) add_header(headers, header);
    if (std::none_of(request.headers.begin(), request.headers.end(), is_accept_header)) {
        add_header(headers, "Accept: application/json");
    }
    if (request.aws_signing) sign_with_sigv4(handle, *request.aws_signing, headers);
    set_option(handle, CURLOPT_HTTPHEADER, headers.get());
    return headers;
}

// GET, or POST/PUT with the request body.
void set_method(CURL *handle, const HttpRequest &request) {
    if (request.method == "POST" || request.method == "PUT") {
        set_option(handle, CURLOPT_POST, 1L);
        if (request.method == "PUT") set_option(handle, CURLOPT_CUSTOMREQUEST, "PUT");
        set_option(handle, CURLOPT_POSTFIELDS, request.body.c_str());
        set_option(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else if (request.method != "GET") {
        fail_system("unsupported HTTP method " + request.method);
    }
}

// A transfer that did not complete: too large, or not reached.
[[noreturn]] void fail_transfer(const std::string &url, CURLcode code, const ReceiveState &state,
                                const char *error_buffer) {
    if (state.over_limit || code == CURLE_FILESIZE_EXCEEDED) {
        fail_unavailable(describe(url) + " sent a response larger than " + std::to_string(state.limit) + " bytes");
    }
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    fail_unavailable("cannot reach " + describe(url) + ": " + detail,
                     "The identity provider cannot be reached. Please try again later.");
}

}  // namespace

// libcurl initialises itself (and OpenSSL, whose configuration it loads) here,
// not implicitly in the first curl_easy_init, and never sees the caller's
// environment while doing so: SSLKEYLOGFILE, read once at this moment, would
// make it open a file for append as root. The counted init/cleanup pair keeps
// no libcurl state past the transport's life unless the host holds some too.
CurlTransport::CurlTransport(TransportSettings settings) : settings_(std::move(settings)) {
    ScrubbedEnvironment scrubbed;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail_system("libcurl could not initialise");
}

CurlTransport::~CurlTransport() {
    ScrubbedEnvironment scrubbed;
    if (handle_ != nullptr) curl_easy_cleanup(static_cast<CURL *>(handle_));
    curl_global_cleanup();
}

HttpResponse CurlTransport::send(const HttpRequest &request) {
    // Proxies and NO_PROXY are read from the environment on each transfer.
    ScrubbedEnvironment scrubbed;
    return perform(request);
}

HttpResponse CurlTransport::perform(const HttpRequest &request) {
    refuse_unsafe_url(request);
    if (handle_ == nullptr) {
        handle_ = curl_easy_init();
        if (handle_ == nullptr) fail_system("libcurl could not create a handle");
    } else {
        curl_easy_reset(static_cast<CURL *>(handle_));  // options only: connections stay
    }
    CURL *handle = static_cast<CURL *>(handle_);

    HttpResponse response;
    ReceiveState state{&response, settings_.max_response_bytes};
    char error_buffer[CURL_ERROR_SIZE] = {0};

    set_transfer_options(handle, request, settings_, error_buffer);
    set_proxy_and_trust(handle, request, settings_);
    set_receivers(handle, state);
    HeaderList headers = set_headers(handle, request);
    set_method(handle, request);

    CURLcode code = curl_easy_perform(handle);
    headers.reset();  // wipes the header lines now, not at the end of the scope
    if (code != CURLE_OK) fail_transfer(request.url, code, state, error_buffer);
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
}

}  // namespace devflow
