// SPDX-License-Identifier: Apache-2.0
#include "pam_stacks.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace devflow::cli {
namespace {

constexpr std::size_t kMaxStackFiles = 1000;
constexpr std::size_t kMaxLinesPerFile = 10000;

std::vector<std::string> regular_files_in(const std::string &directory) {
    std::vector<std::string> names;
    DIR *dir = opendir(directory.c_str());
    if (dir == nullptr) return names;
    while (const dirent *entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.empty() || name[0] == '.' || names.size() >= kMaxStackFiles) continue;
        struct stat st {};
        const std::string path = directory + "/" + name;
        if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) names.push_back(path);
    }
    closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

// The words of a pam.d line without its comment; a bracketed control value
// ("[success=1 default=ignore]") is one word.
std::vector<std::string> words_of(std::string text) {
    text = text.substr(0, text.find('#'));
    std::vector<std::string> words;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        if (!words.empty() && words.back().front() == '[' && words.back().back() != ']') {
            words.back() += " " + word;
        } else {
            words.push_back(word);
        }
    }
    return words;
}

bool is_this_module(const std::string &word) {
    const std::string name = "pam_device_flow.so";
    return word == name ||
           (word.size() > name.size() && word.compare(word.size() - name.size(), name.size(), name) == 0 &&
            word[word.size() - name.size() - 1] == '/');
}

}  // namespace

std::vector<PamStackLine> pam_stack_lines(const std::string &directory, const std::string &default_config) {
    std::vector<PamStackLine> found;
    for (const std::string &path : regular_files_in(directory)) {
        std::ifstream in(path);
        std::string text;
        for (int number = 1; number <= static_cast<int>(kMaxLinesPerFile) && std::getline(in, text); ++number) {
            const std::vector<std::string> words = words_of(text);
            // type control module [arguments]; "-auth" is auth that may be missing.
            if (words.size() < 3 || (words[0] != "auth" && words[0] != "-auth") || !is_this_module(words[2])) continue;
            PamStackLine line{path, number, default_config, {}};
            for (std::size_t i = 3; i < words.size(); ++i) {
                if (words[i].rfind("config=", 0) == 0) line.config = words[i].substr(7);
                if (words[i].rfind("provider=", 0) == 0) line.provider = words[i].substr(9);
            }
            found.push_back(line);
        }
    }
    return found;
}

bool same_file(const std::string &a, const std::string &b) {
    struct stat sa {
    }, sb{};
    if (stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return a == b;
}

}  // namespace devflow::cli
