// SPDX-License-Identifier: Apache-2.0
#include "refusing_port.hpp"

#include "expect_failure.hpp"
#include "net/curl_transport.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"

namespace devflow::test {

RefusingPort::RefusingPort() : socket_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    assert_true(socket_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(::bind(socket_, reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);
    socklen_t length = sizeof(address);
    assert_int_equal(::getsockname(socket_, reinterpret_cast<sockaddr *>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
}

RefusingPort::~RefusingPort() { ::close(socket_); }

std::string RefusingPort::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

void curl_transfer_to_refusing_port() {
    RefusingPort port;
    CurlTransport transport{TransportSettings{}};
    HttpRequest request;
    request.url = port.url();
    const auto failure = expect_failure([&] { transport.send(request); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
}

}  // namespace devflow::test
