#include "flow/qr_code.hpp"

#include <qrencode.h>

#include <memory>
#include <new>

namespace devflow {
namespace {

struct QrCodeDeleter {
    void operator()(QRcode *code) const noexcept { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

// The module grid with its quiet zone: true for dark.
class Modules {
public:
    explicit Modules(const QRcode &code) : code_(code), size_(code.width + 2 * kQrQuietZone) {}

    int size() const { return size_; }

    bool dark(int row, int column) const {
        const int r = row - kQrQuietZone;
        const int c = column - kQrQuietZone;
        if (r < 0 || c < 0 || r >= code_.width || c >= code_.width) return false;
        // libqrencode: bit 0 of each byte is the module's colour (1 = dark).
        const auto index =
            static_cast<std::size_t>(r) * static_cast<std::size_t>(code_.width) + static_cast<std::size_t>(c);
        return (code_.data[index] & 1u) != 0;
    }

private:
    const QRcode &code_;
    int size_;
};

std::string render_utf8(const Modules &modules) {
    // Light modules are the terminal's foreground colour. Rows past the bottom of
    // the quiet zone (an odd count) stay background, i.e. dark.
    std::string out;
    for (int row = 0; row < modules.size(); row += 2) {
        if (row != 0) out += '\n';
        for (int column = 0; column < modules.size(); ++column) {
            const bool top_light = !modules.dark(row, column);
            const bool bottom_light = row + 1 < modules.size() && !modules.dark(row + 1, column);
            if (top_light && bottom_light) out += "\u2588";  // █
            else if (top_light) out += "\u2580";             // ▀
            else if (bottom_light) out += "\u2584";          // ▄
            else out += ' ';
        }
    }
    return out;
}

std::string render_ascii(const Modules &modules) {
    std::string out;
    for (int row = 0; row < modules.size(); ++row) {
        if (row != 0) out += '\n';
        for (int column = 0; column < modules.size(); ++column) out += modules.dark(row, column) ? "##" : "  ";
    }
    return out;
}

}  // namespace

std::string render_qr(const std::string &text, QrMode mode) noexcept {
    // libqrencode reads a C string: an embedded NUL would silently shorten the code.
    if (mode == QrMode::off || text.empty() || text.find('\0') != std::string::npos) return {};
    try {
        // Level M survives a smudged screen or a glare better than L, and a typical
        // verification_uri_complete (~60 bytes) still fits version 4 (33x33).
        const QrCodePtr code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
        if (!code || code->width <= 0) return {};
        const Modules modules(*code);
        return mode == QrMode::utf8 ? render_utf8(modules) : render_ascii(modules);
    } catch (const std::bad_alloc &) {
        return {};
    }
}

}  // namespace devflow
