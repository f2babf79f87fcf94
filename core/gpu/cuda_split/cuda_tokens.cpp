// SPDX-License-Identifier: MIT
#include "cuda_tokens.h"

#include <array>
#include <string>

namespace kf::gpu::cuda_split {
namespace {

bool isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool isIdentChar(char c) {
    return isIdentStart(c) || isDigit(c);
}

// Longest first: the scanner takes the first entry that matches.
constexpr std::array<std::string_view, 40> kPuncts = {
    "<<<", ">>>", "<<=", ">>=", "->*", "...", "<=>", "::", "->", "++", "--", "<<", ">>", "<=",
    ">=",  "==",  "!=",  "&&",  "||",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", ".*",
    "##",  "{",   "}",   "(",   ")",   "[",   "]",   ";",  ":",  ",",  "<",  ">"};

class Scanner {
public:
    Scanner(std::string_view src, std::size_t begin, std::size_t end, bool directives)
        : src_(src)
        , pos_(begin)
        , end_(end)
        , directives_(directives) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        bool line_start = true;
        while (pos_ < end_) {
            const char c = src_[pos_];
            if (c == '\n') {
                line_start = true;
                ++pos_;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                ++pos_;
                continue;
            }
            if (c == '\\' && next(1) == '\n') { // a line splice outside a directive
                pos_ += 2;
                continue;
            }
            const std::size_t start = pos_;
            Token t{TokenKind::Punct, start, start};
            if (c == '#' && line_start && directives_) {
                t.kind = TokenKind::Directive;
                t.complete = skipDirective();
            } else if (c == '/' && next(1) == '/') {
                t.kind = TokenKind::Comment;
                skipLineComment();
            } else if (c == '/' && next(1) == '*') {
                t.kind = TokenKind::Comment;
                t.complete = skipBlockComment();
            } else if (isIdentStart(c)) {
                while (pos_ < end_ && isIdentChar(src_[pos_]))
                    ++pos_;
                t.kind = TokenKind::Identifier;
                if (pos_ < end_ && (src_[pos_] == '"' || src_[pos_] == '\'')) {
                    const std::string_view prefix = src_.substr(start, pos_ - start);
                    if (isStringPrefix(prefix)) {
                        t.kind = src_[pos_] == '"' ? TokenKind::String : TokenKind::Char;
                        const bool raw = prefix.back() == 'R';
                        t.complete = raw && t.kind == TokenKind::String ? skipRawString() : skipQuoted();
                    }
                }
            } else if (isDigit(c) || (c == '.' && isDigit(next(1)))) {
                t.kind = TokenKind::Number;
                skipNumber();
            } else if (c == '"' || c == '\'') {
                t.kind = c == '"' ? TokenKind::String : TokenKind::Char;
                t.complete = skipQuoted();
            } else {
                skipPunct();
            }
            t.end = pos_;
            out.push_back(t);
            line_start = false;
        }
        return out;
    }

private:
    char next(std::size_t k) const { return pos_ + k < end_ ? src_[pos_ + k] : '\0'; }

    static bool isStringPrefix(std::string_view p) {
        return p == "u8" || p == "u" || p == "U" || p == "L" || p == "R" || p == "u8R" || p == "uR" ||
               p == "UR" || p == "LR";
    }

    void skipLineComment() {
        while (pos_ < end_ && src_[pos_] != '\n') {
            if (src_[pos_] == '\\' && next(1) == '\n')
                ++pos_; // a spliced line comment goes on on the next line
            ++pos_;
        }
    }

    bool skipBlockComment() {
        const std::size_t close = src_.find("*/", pos_ + 2);
        if (close == std::string_view::npos || close + 2 > end_) {
            pos_ = end_;
            return false;
        }
        pos_ = close + 2;
        return true;
    }

    // pos_ is at the opening quote; stops after the closing one, or at the end of the line if there is none.
    bool skipQuoted() {
        const char quote = src_[pos_++];
        while (pos_ < end_) {
            const char c = src_[pos_];
            if (c == '\\' && pos_ + 1 < end_) {
                pos_ += 2;
                continue;
            }
            if (c == '\n')
                return false;
            ++pos_;
            if (c == quote)
                return true;
        }
        return false;
    }

    // pos_ is at the quote of R"delim( ... )delim".
    bool skipRawString() {
        const std::size_t open = src_.find('(', pos_);
        if (open == std::string_view::npos || open >= end_ || open - pos_ > 17) {
            pos_ = end_;
            return false;
        }
        const std::string closing = ")" + std::string(src_.substr(pos_ + 1, open - pos_ - 1)) + "\"";
        const std::size_t close = src_.find(closing, open + 1);
        if (close == std::string_view::npos || close + closing.size() > end_) {
            pos_ = end_;
            return false;
        }
        pos_ = close + closing.size();
        return true;
    }

    void skipNumber() {
        ++pos_;
        while (pos_ < end_) {
            const char c = src_[pos_];
            const char prev = src_[pos_ - 1];
            if ((c == '+' || c == '-') && (prev == 'e' || prev == 'E' || prev == 'p' || prev == 'P'))
                ++pos_;
            else if (c == '\'' && isIdentChar(next(1)))
                pos_ += 2;
            else if (isIdentChar(c) || c == '.')
                ++pos_;
            else
                break;
        }
    }

    void skipPunct() {
        const std::string_view rest = src_.substr(pos_, end_ - pos_);
        for (const std::string_view p : kPuncts) {
            if (rest.substr(0, p.size()) == p) {
                pos_ += p.size();
                return;
            }
        }
        ++pos_; // any other single character: + - * / % ^ & | ~ ! = ? . # and stray bytes
    }

    // pos_ is at '#': runs to the newline that is not spliced and not inside a block comment.
    bool skipDirective() {
        while (pos_ < end_) {
            const char c = src_[pos_];
            if (c == '\n')
                return true;
            if (c == '\\' && next(1) == '\n') {
                pos_ += 2;
            } else if (c == '/' && next(1) == '*') {
                if (!skipBlockComment())
                    return false;
            } else if (c == '/' && next(1) == '/') {
                skipLineComment();
            } else if (c == '"' || c == '\'') {
                skipQuoted(); // an unterminated quote in a directive (#error don't) ends at the line end
            } else {
                ++pos_;
            }
        }
        return true;
    }

    std::string_view src_;
    std::size_t pos_;
    std::size_t end_;
    bool directives_;
};

} // namespace

std::vector<Token> tokenizeCuda(std::string_view src) {
    return Scanner(src, 0, src.size(), true).run();
}

std::vector<Token> tokenizeRange(std::string_view src, std::size_t begin, std::size_t end) {
    return Scanner(src, begin, end, false).run();
}

bool isPunct(const Token& t, std::string_view src, std::string_view p) {
    return t.kind == TokenKind::Punct && t.text(src) == p;
}

bool isIdent(const Token& t, std::string_view src, std::string_view name) {
    return t.kind == TokenKind::Identifier && t.text(src) == name;
}

} // namespace kf::gpu::cuda_split
