// SPDX-License-Identifier: Apache-2.0
#include "flow/terminal_text.hpp"

#include <algorithm>
#include <cstdint>

namespace devflow {
namespace {

constexpr char32_t kInvalidSequence = 0xFFFFFFFF;

struct Decoded {
    char32_t code_point;  // kInvalidSequence for malformed input
    std::size_t length;   // bytes consumed (at least 1)
};

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes one UTF-8 sequence. Overlong forms, surrogates and values above
// U+10FFFF are invalid; a malformed sequence consumes its maximal valid prefix
// (as Unicode recommends), so one bad byte never swallows the next good character.
Decoded decode_utf8(std::string_view text, std::size_t pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) return {lead, 1};
    std::size_t length = 0;
    char32_t value = 0;
    unsigned char min_second = 0x80;
    unsigned char max_second = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0Fu;
        if (lead == 0xE0) min_second = 0xA0;  // overlong
        if (lead == 0xED) max_second = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07u;
        if (lead == 0xF0) min_second = 0x90;  // overlong
        if (lead == 0xF4) max_second = 0x8F;  // above U+10FFFF
    } else {
        return {kInvalidSequence, 1};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if (pos + i >= text.size()) return {kInvalidSequence, i};
        const auto byte = static_cast<unsigned char>(text[pos + i]);
        const bool in_range = i == 1 ? (byte >= min_second && byte <= max_second) : is_continuation(byte);
        if (!in_range) return {kInvalidSequence, i};
        value = (value << 6) | (byte & 0x3Fu);
    }
    return {value, length};
}

bool is_bidi_control(char32_t c) { return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069); }

// Characters that show nothing yet change what is read: direction marks
// (reorder like the bidi controls), line and paragraph separators (a second
// line), and the default-ignorable code points of Unicode (zero width space,
// word joiner, invisible operators, BOM, soft hyphen, fillers, tags...), with
// which one user code or URL looks like another or carries hidden text.
// Kept, although default-ignorable: ZWNJ and ZWJ (U+200C, U+200D) and the
// variation selectors (U+180B-U+180D, U+180F, U+FE00-U+FE0F,
// U+E0100-U+E01EF). Emoji sequences and Persian, Indic and Mongolian text
// need them, and they only choose a glyph or a ligature: they cannot move,
// hide or stand in for other text.
bool is_invisible_format(char32_t c) {
    switch (c) {
    case 0x00AD:  // soft hyphen
    case 0x034F:  // combining grapheme joiner
    case 0x061C:  // Arabic letter mark
    case 0x115F:  // Hangul choseong filler
    case 0x1160:  // Hangul jungseong filler
    case 0x17B4:  // Khmer inherent vowels
    case 0x17B5:
    case 0x180E:  // Mongolian vowel separator
    case 0x200B:  // zero width space
    case 0x200E:  // left-to-right mark
    case 0x200F:  // right-to-left mark
    case 0x2028:  // line separator
    case 0x2029:  // paragraph separator
    case 0x3164:  // Hangul filler
    case 0xFEFF:  // zero width no-break space (BOM)
    case 0xFFA0:  // halfwidth Hangul filler
        return true;
    default: break;
    }
    return (c >= 0x2060 && c <= 0x206F) ||    // word joiner, invisible operators, deprecated formats
           (c >= 0xFFF9 && c <= 0xFFFB) ||    // interlinear annotation: hides the annotated text
           (c >= 0x1BCA0 && c <= 0x1BCA3) ||  // shorthand format controls
           (c >= 0x1D173 && c <= 0x1D17A) ||  // musical symbol format controls
           (c >= 0xE0000 && c <= 0xE0FFF && !(c >= 0xE0100 && c <= 0xE01EF));  // tags, reserved
}

// Where an escape sequence starting at `pos` (just after its introducer) ends.
// Unterminated sequences run to the end of the text: dropping too much is safe.
enum class Sequence { csi, string, short_escape };

std::size_t skip_sequence(std::string_view text, std::size_t pos, Sequence kind) {
    while (pos < text.size()) {
        const auto d = decode_utf8(text, pos);
        const char32_t c = d.code_point;
        switch (kind) {
        case Sequence::csi:
            // Parameters and intermediates (0x20-0x3F) until a final byte 0x40-0x7E.
            pos += d.length;
            if (c >= 0x40 && c <= 0x7E) return pos;
            if (c < 0x20 || c > 0x3F) return pos;  // not a well-formed CSI: stop at the odd character, dropped
            break;
        case Sequence::string:
            // OSC, DCS, SOS, PM, APC: until BEL, ST (ESC \) or C1 ST.
            if (c == 0x07 || c == 0x9C) return pos + d.length;
            if (c == 0x1B && pos + 1 < text.size() && text[pos + 1] == '\\') return pos + 2;
            pos += d.length;
            break;
        case Sequence::short_escape:
            // ESC, intermediates 0x20-0x2F, one final character.
            pos += d.length;
            if (c < 0x20 || c > 0x2F) return pos;
            break;
        }
    }
    return pos;
}

// The position after the sequence an ESC at `pos` introduces.
std::size_t skip_escape(std::string_view text, std::size_t pos) {
    ++pos;  // the ESC
    if (pos >= text.size()) return pos;
    switch (text[pos]) {
    case '[': return skip_sequence(text, pos + 1, Sequence::csi);
    case ']':
    case 'P':
    case 'X':
    case '^':
    case '_': return skip_sequence(text, pos + 1, Sequence::string);
    default: return skip_sequence(text, pos, Sequence::short_escape);
    }
}

// The position after the sequence a C1 control at `pos` introduces (or just itself).
std::size_t skip_c1(std::string_view text, std::size_t pos, const Decoded &d) {
    switch (d.code_point) {
    case 0x9B:  // CSI
        return skip_sequence(text, pos + d.length, Sequence::csi);
    case 0x90:  // DCS
    case 0x98:  // SOS
    case 0x9D:  // OSC
    case 0x9E:  // PM
    case 0x9F:  // APC
        return skip_sequence(text, pos + d.length, Sequence::string);
    default: return pos + d.length;
    }
}

}  // namespace

std::string sanitize_for_terminal(std::string_view untrusted, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(untrusted.size(), max_bytes));
    std::size_t pos = 0;
    while (pos < untrusted.size()) {
        const auto d = decode_utf8(untrusted, pos);
        const char32_t c = d.code_point;
        if (c == 0x1B) {
            pos = skip_escape(untrusted, pos);
            continue;
        }
        if (c >= 0x80 && c <= 0x9F) {
            pos = skip_c1(untrusted, pos, d);
            continue;
        }
        std::string_view piece;
        if (c == kInvalidSequence) piece = "?";
        else if (c < 0x20 || c == 0x7F || is_bidi_control(c) || is_invisible_format(c)) piece = {};
        else piece = untrusted.substr(pos, d.length);
        if (out.size() + piece.size() > max_bytes) break;
        out.append(piece);
        pos += d.length;
    }
    return out;
}

namespace {

// The line with the QR color sequences kept and everything between them
// through sanitize_for_terminal. A sequence is kept only whole: the text
// between two kept ones is sanitized on its own, so no escape sequence can
// start in it and end in a kept one (an unterminated one is dropped to the end
// of its piece), and what is kept is complete.
std::string sanitize_keeping_qr_colors(std::string_view line) {
    static constexpr std::string_view kAllowed[] = {kQrBlackOnWhite, kQrWhiteOnBlack, kQrResetColors};
    std::string out;
    std::size_t start = 0;
    for (;;) {
        std::size_t next = std::string_view::npos;
        std::string_view found;
        for (std::string_view allowed : kAllowed) {
            const std::size_t at = line.find(allowed, start);
            if (at < next) {
                next = at;
                found = allowed;
            }
        }
        const std::string_view piece = line.substr(start, next == std::string_view::npos ? next : next - start);
        out += sanitize_for_terminal(piece, piece.size());
        if (next == std::string_view::npos) return out;
        out += found;
        start = next + found.size();
    }
}

}  // namespace

std::string sanitize_lines_for_terminal(std::string_view text, TerminalColors colors) {
    std::string out;
    out.reserve(text.size());
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        out += colors == TerminalColors::qr_colors ? sanitize_keeping_qr_colors(line)
                                                   : sanitize_for_terminal(line, line.size());
        if (end < text.size()) out += '\n';
        start = end + 1;
    }
    return out;
}

}  // namespace devflow
